// The close codes are the wire contract shared with the client (src/protocol/close-codes.ts).
export { CLOSE, TERMINATED } from '../../src/protocol/close-codes.ts';
