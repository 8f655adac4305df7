import pickleparser from 'pickleparser';
import { ModelError } from '../errors.js';
import { STORAGE_CLASSES, type StorageRef, type TensorRef, type TorchDtype } from './storage-types.js';

/** What a state_dict pickle can hold once read: plain data, tensor views, nothing executable. */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | Map<PickleValue, PickleValue>
  | TensorRef;

const TENSOR_TAG = Symbol('torch tensor');

export function isTensorRef(value: unknown): value is TensorRef {
  return typeof value === 'object' && value !== null && TENSOR_TAG in value;
}

class Refusal extends Error {}

/** Storage records built by this module: a tensor may only view one of these. */
const STORAGES = new WeakSet<object>();

/** A storage class as it sits on the pickle stack: a tag, refusing to be called or constructed. */
interface StorageClassTag {
  (): never;
  storageDtype: TorchDtype;
}

function storageTag(name: string, dtype: TorchDtype): StorageClassTag {
  const tag = (() => {
    throw new Refusal(`storage class torch.${name} used as a function`);
  }) as StorageClassTag;
  tag.storageDtype = dtype;
  return tag;
}

function nonNegativeInt(value: unknown, what: string): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new Refusal(`${what} is not a non-negative integer`);
  }
  return n;
}

function intList(value: unknown, what: string): number[] {
  if (!Array.isArray(value)) throw new Refusal(`${what} is not a tuple`);
  return value.map((v, i) => nonNegativeInt(v, `${what}[${i}]`));
}

function rebuildTensor(storage: unknown, offset: unknown, size: unknown, stride: unknown): TensorRef {
  if (typeof storage !== 'object' || storage === null || !STORAGES.has(storage)) {
    throw new Refusal('a tensor whose storage is not a storage record');
  }
  const shape = intList(size, 'tensor size');
  const strides = intList(stride, 'tensor stride');
  if (shape.length !== strides.length) throw new Refusal('a tensor whose size and stride differ in length');
  const ref = {
    storage: storage as StorageRef,
    offset: nonNegativeInt(offset, 'storage offset'),
    shape,
    stride: strides,
    [TENSOR_TAG]: true,
  };
  return Object.freeze(ref);
}

/**
 * The allow-list: every global a pickle may name, mapped to a data-only stand-in. Anything else is
 * refused by name before it is used; no Python class is ever imitated beyond building plain data.
 */
function allowedGlobal(module: string, name: string): unknown {
  if (module === 'collections' && name === 'OrderedDict') return () => new Map();
  if (module === 'torch._utils' && name === '_rebuild_tensor_v2') return rebuildTensor;
  // nn.Parameter pickles as its data tensor plus flags; the tensor is all a weight needs.
  if (module === 'torch._utils' && name === '_rebuild_parameter') return (data: unknown) => data;
  if (module === 'torch' && Object.hasOwn(STORAGE_CLASSES, name)) {
    return storageTag(name, STORAGE_CLASSES[name]!);
  }
  return undefined;
}

function persistentStorage(pid: unknown): StorageRef {
  if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') {
    throw new Refusal('a persistent id that is not a storage record');
  }
  const [, cls, key, location, numel] = pid as unknown[];
  if (typeof cls !== 'function' || !('storageDtype' in cls)) throw new Refusal('a storage of no known type');
  if (typeof key !== 'string' || !/^[A-Za-z0-9_]+$/.test(key))
    throw new Refusal('a storage key that is not a name');
  if (typeof location !== 'string') throw new Refusal('a storage location that is not a string');
  const ref = Object.freeze({
    key,
    dtype: (cls as StorageClassTag).storageDtype,
    location,
    numel: nonNegativeInt(numel, 'storage size'),
  });
  STORAGES.add(ref);
  return ref;
}

/**
 * Reads `data.pkl` of a torch.save archive as data. Dictionaries become Maps (so no key can reach an
 * object prototype), tuples and lists arrays, tensors TensorRefs; storages stay references to records
 * that are read later, after their sizes are checked.
 */
export function unpickleTorch(bytes: Uint8Array, file: string): PickleValue {
  let forbidden: string | undefined;
  const parser = new pickleparser.Parser({
    unpicklingTypeOfDictionary: 'Map',
    unpicklingTypeOfSet: 'array',
    nameResolver: {
      resolve: (module: string, name: string) => {
        const found = allowedGlobal(module, name);
        if (found === undefined) {
          forbidden = `${module}.${name}`;
          throw new Refusal(`forbidden class ${forbidden}`);
        }
        return found as () => unknown;
      },
    },
    persistentResolver: { resolve: persistentStorage },
    extensionResolver: {
      resolve: (code: number) => {
        throw new Refusal(`extension code ${code}`);
      },
    },
  });
  try {
    return parser.parse<PickleValue>(bytes);
  } catch (cause) {
    if (forbidden !== undefined) {
      throw new ModelError(
        'BAD_TORCH_FILE',
        `${file}: refers to the class ${forbidden}, which a state_dict does not need; only collections.OrderedDict, torch._utils._rebuild_tensor_v2/_rebuild_parameter and torch.*Storage are read (nothing in the file is executed)`,
        { cause },
      );
    }
    const why =
      cause instanceof Refusal ? cause.message : `the pickle is malformed (${(cause as Error).message})`;
    throw new ModelError('BAD_TORCH_FILE', `${file}: cannot read data.pkl: ${why}`, { cause });
  }
}
