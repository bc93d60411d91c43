export { disclosureLog, type DisclosureLog, type DisclosureLogOptions } from './disclosure-log';
