// The tfjs-core Node bundle registers no gradient functions (variableGrads fails with "gradient function
// not found"). The pure-JS union package registers all of them (and the cpu backend) into the registry
// that tfjs-core shares, so it is imported once here and every module takes `tf` from this file.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';

export { tf };
