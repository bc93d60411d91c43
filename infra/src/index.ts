export { up, down, type Infra } from './local-infra';
export { loadInfraConfig, type InfraConfig } from './config';
export { loadTopicDeclarations, type TopicDeclaration } from './topics';
export { redisAnswers } from './redis';
export { freePort } from './free-port';
export { ensureKafkaTools } from './kafka-broker';
