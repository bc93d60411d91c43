import { PolkuError } from '@polku/service-kit';
import { describeProcess, type ProcessIdentity } from './proc';

/** A port a service was to listen on, found taken. */
export interface BusyPort {
  port: number;
  /** What the port was for, e.g. "the stand-in school system". */
  what: string;
  /** The setting that moves it, when there is one (`npm start` reads POLKU_*_PORT). */
  setting?: string;
  /** Who holds it, when /proc says. */
  holder?: ProcessIdentity;
}

function describe(busy: BusyPort): string {
  const by = busy.holder ? describeProcess(busy.holder) : 'another process';
  const move = busy.setting ? `, or set ${busy.setting} to a free port` : '';
  return `port ${busy.port}, for ${busy.what}, is in use by ${by}, which this launcher did not start: stop that process${move}`;
}

/** Ports taken by processes this launcher did not start; it starts nothing then, and stops nothing of theirs. */
export class PortInUse extends PolkuError {
  readonly ports: BusyPort[];

  constructor(ports: BusyPort[]) {
    super('PORT_IN_USE', ports.map(describe).join('\n'));
    this.ports = ports;
  }
}

/** The launcher that wrote the process record still runs: its processes are not leftovers. */
export class LauncherRunning extends PolkuError {
  constructor(recordFile: string, launcher: ProcessIdentity) {
    super('LAUNCHER_RUNNING', `another launcher, ${describeProcess(launcher)}, still runs the processes in ${recordFile}; stop it first (Ctrl-C where it runs)`);
  }
}
