/** What a role may do is decided in the wire contract, shared with the client. */
export {
  roleCanApprove,
  roleCanComment,
  roleCanEdit,
  roleCanSetStatus,
} from '../../src/protocol/roles.ts';
