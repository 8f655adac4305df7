import { CodedError } from '@music-transformer/vocab';

/** Closed set of failure kinds of the model package; tests and the CLI switch on `code`. */
export type ModelErrorCode =
  | 'BAD_HPARAMS' // hyperparameters failed validation
  | 'BAD_INPUT' // ids, targets or options passed to a model call are malformed
  | 'BAD_WEIGHTS' // a weight map or checkpoint does not match the hparams (name, shape, vocab)
  | 'NOT_SAFETENSORS' // the bytes are not a safetensors file at all: too short, header length or JSON wrong
  | 'BAD_SAFETENSORS' // a safetensors file whose header entries or data are malformed, or a tensor cannot be encoded
  | 'BACKEND_UNAVAILABLE' // the requested TF.js backend cannot be loaded here
  | 'WORKER_FAILED' // a data-parallel worker thread crashed or answered with an error
  | 'DISPOSED' // the object was used after dispose()
  | 'BAD_TORCH_FILE' // a .pt file that cannot be imported: not torch.save's zip format, truncated, forbidden class, sizes
  | 'NOT_EXPORTABLE'; // a model the original PyTorch project cannot represent (post-LN, plain attention)

export class ModelError extends CodedError<ModelErrorCode> {
  override readonly name = 'ModelError';
}
