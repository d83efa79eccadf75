// NN Arcade MLP kernels. Compiled with -D H=<hidden> -D O=<outputs> -D ACT=<0 sigmoid|1 relu|2 tanh>
// -D COST=<0 quadratic|1 cross-entropy>. theta layout: W1 (inputs x H), b1 (H), W2 (H x O), b2 (O).
// Inputs arrive as CSR rows of their non-zero pixels: zero pixels add nothing to a forward
// pass and get exactly zero gradient, so skipping them is exact.
// PoCL 3.0 compiles plain loads and a*b+c well; vload/fma become real calls, so avoid them.

#define W2_AT(ninputs) ((ninputs) * H + H)
#define B2_AT(ninputs) (W2_AT(ninputs) + H * O)

inline float hidden_act(float z) {
#if ACT == 0
    return 1.0f / (1.0f + exp(-z));
#elif ACT == 1
    return z > 0.0f ? z : 0.0f;
#else
    return tanh(z);
#endif
}

// f'(z) from a = f(z)
inline float hidden_dact(float a) {
#if ACT == 0
    return a * (1.0f - a);
#elif ACT == 1
    return a > 0.0f ? 1.0f : 0.0f;
#else
    return 1.0f - a * a;
#endif
}

inline float sigmoid(float z) { return 1.0f / (1.0f + exp(-z)); }

inline float sample_cost(float a, float y) {
#if COST == 0
    return 0.5f * (a - y) * (a - y);
#else
    float c = clamp(a, 1e-7f, 1.0f - 1e-7f);
    return -(y * log(c) + (1.0f - y) * log(1.0f - c));
#endif
}

// dC/dz at a sigmoid output
inline float out_delta(float a, float y) {
#if COST == 0
    return (a - y) * a * (1.0f - a);
#else
    return a - y;
#endif
}

// Forward pass, one work-item per sample: hidden (N x H) and output (N x O) activations.
__kernel void forward(__global const float* theta, const int ninputs,
                      __global const int* offsets, __global const int* indices,
                      __global const float* values, const int n,
                      __global float* hidden_out, __global float* out)
{
    const int s = get_global_id(0);
    if (s >= n) return;
    __global const float* W1 = theta;
    __global const float* b1 = theta + ninputs * H;
    __global const float* W2 = theta + W2_AT(ninputs);
    __global const float* b2 = theta + B2_AT(ninputs);
    float h[H];
    for (int j = 0; j < H; ++j) h[j] = b1[j];
    for (int k = offsets[s]; k < offsets[s + 1]; ++k) {
        const float v = values[k];
        __global const float* row = W1 + indices[k] * H;
        #pragma unroll 8
        for (int j = 0; j < H; ++j) h[j] += v * row[j];
    }
    for (int j = 0; j < H; ++j) {
        h[j] = hidden_act(h[j]);
        hidden_out[s * H + j] = h[j];
    }
    for (int o = 0; o < O; ++o) {
        float z = b2[o];
        for (int j = 0; j < H; ++j) z += h[j] * W2[j * O + o];
        out[s * O + o] = sigmoid(z);
    }
}

// Mini-batches in ONE work-item, many per launch (launches cost tens of µs on PoCL, and a
// mini-batch is tiny). Loops over hidden neurons are innermost and of compile-time length
// H, so the compiler vectorises them like plain C; SGD is sequential between mini-batches.
// Batch b is samples order[b*B .. min((b+1)*B, total)). For each: forward, backprop, then
// dst += scale * (gradient summed over the batch).
//   SGD:      dst == theta, scale = -lr / B    -> theta steps after every mini-batch
//   gradient: dst = zeroed buffer, scale = 1/total -> the mean gradient over all samples
// costs[b] gets the batch's summed cost. scratch holds 2*B*H + B*O floats.
__kernel void train_batches(__global float* theta, __global float* dst, const float scale,
                            const int ninputs,
                            __global const int* offsets, __global const int* indices,
                            __global const float* values, __global const int* labels,
                            __global const int* order, const int total, const int B,
                            __global float* costs, __global float* scratch)
{
    const int nbatches = (total + B - 1) / B;
    __global const float* b1 = theta + ninputs * H;
    __global const float* W2 = theta + W2_AT(ninputs);
    __global const float* b2 = theta + B2_AT(ninputs);
    __global float* dW1 = dst;
    __global float* db1 = dst + ninputs * H;
    __global float* dW2 = dst + W2_AT(ninputs);
    __global float* db2 = dst + B2_AT(ninputs);
    __global float* a1 = scratch;          // B x H hidden activations
    __global float* d1 = scratch + B * H;  // B x H hidden deltas
    __global float* d2 = d1 + B * H;       // B x O output deltas

    for (int b = 0; b < nbatches; ++b) {
        const int first = b * B;
        const int nb = min(B, total - first);
        float cost = 0.0f;

        // forward and backward, sample by sample, all on the weights before this batch
        for (int s = 0; s < nb; ++s) {
            const int r = order[first + s];
            float z[H];
            for (int j = 0; j < H; ++j) z[j] = b1[j];
            for (int k = offsets[r]; k < offsets[r + 1]; ++k) {
                const float v = values[k];
                __global const float* w = theta + indices[k] * H;
                #pragma unroll  // fully unrolled, PoCL's vectoriser handles the odd H well
                for (int j = 0; j < H; ++j) z[j] += v * w[j];
            }
            float a[H];
            for (int j = 0; j < H; ++j) a[j] = hidden_act(z[j]);

            float zo[O];
            for (int o = 0; o < O; ++o) zo[o] = b2[o];
            for (int j = 0; j < H; ++j)
                for (int o = 0; o < O; ++o) zo[o] += a[j] * W2[j * O + o];
            float dout[O];
            const int label = labels[r];
            for (int o = 0; o < O; ++o) {
                const float ao = sigmoid(zo[o]);
                const float y = o == label ? 1.0f : 0.0f;
                dout[o] = out_delta(ao, y);
                cost += sample_cost(ao, y);
                d2[s * O + o] = dout[o];
            }
            for (int j = 0; j < H; ++j) {
                float e = 0.0f;
                for (int o = 0; o < O; ++o) e += W2[j * O + o] * dout[o];
                a1[s * H + j] = a[j];
                d1[s * H + j] = e * hidden_dact(a[j]);
            }
        }
        costs[b] = cost;

        // updates: W1 only where pixels are non-zero (elsewhere the gradient is exactly 0)
        float gb1[H];
        for (int j = 0; j < H; ++j) gb1[j] = 0.0f;
        for (int s = 0; s < nb; ++s) {
            const int r = order[first + s];
            float sd[H];
            for (int j = 0; j < H; ++j) {
                gb1[j] += d1[s * H + j];
                sd[j] = scale * d1[s * H + j];
            }
            for (int k = offsets[r]; k < offsets[r + 1]; ++k) {
                const float v = values[k];
                __global float* w = dW1 + indices[k] * H;
                #pragma unroll
                for (int j = 0; j < H; ++j) w[j] += sd[j] * v;
            }
        }
        for (int j = 0; j < H; ++j) db1[j] += scale * gb1[j];
        for (int j = 0; j < H; ++j) {
            float g[O];
            for (int o = 0; o < O; ++o) g[o] = 0.0f;
            for (int s = 0; s < nb; ++s)
                for (int o = 0; o < O; ++o) g[o] += a1[s * H + j] * d2[s * O + o];
            for (int o = 0; o < O; ++o) dW2[j * O + o] += scale * g[o];
        }
        float gb2[O];
        for (int o = 0; o < O; ++o) gb2[o] = 0.0f;
        for (int s = 0; s < nb; ++s)
            for (int o = 0; o < O; ++o) gb2[o] += d2[s * O + o];
        for (int o = 0; o < O; ++o) db2[o] += scale * gb2[o];
    }
}

// Cost over a grid of points on the plane theta = c + a*d1 + b*d2 (see nn/surface.py).
// The first layer's pre-activations are affine in (a, b): zc + a*z1 + b*z2, precomputed per
// sample (biases included), so no pass over the 784 inputs is needed. One work-item per
// (grid point, block of 8 samples); float8 maths so exp runs 8 lanes at once. zc, z1, z2 are
// (H, n) and y, weight (O, n) / (n): samples contiguous; padded samples have weight 0.
// w2 holds [W2 | b2] of c, d1 and d2 back to back. partial gets one sum per work-item.
inline float8 hidden_act8(float8 z) {
#if ACT == 0
    return 1.0f / (1.0f + exp(-z));
#elif ACT == 1
    return fmax(z, (float8)(0.0f));
#else
    return tanh(z);
#endif
}

__kernel void plane_costs(__global const float* zc, __global const float* z1, __global const float* z2,
                          __global const float* w2, __global const float* y, __global const float* weight,
                          const int n, __global const float* coords, __global float* partial)
{
    const int blk = get_global_id(0), g = get_global_id(1);
    const int s0 = blk * 8;
    const float a = coords[2 * g], b = coords[2 * g + 1];
    const int stride = H * O + O;
    float8 zo[O];
    for (int o = 0; o < O; ++o) {
        const int k = H * O + o;
        zo[o] = (float8)(w2[k] + a * w2[stride + k] + b * w2[2 * stride + k]);
    }
    for (int j = 0; j < H; ++j) {
        const float8 h = hidden_act8(vload8(0, zc + j * n + s0) + a * vload8(0, z1 + j * n + s0)
                                     + b * vload8(0, z2 + j * n + s0));
        for (int o = 0; o < O; ++o) {
            const int k = j * O + o;
            zo[o] += h * (w2[k] + a * w2[stride + k] + b * w2[2 * stride + k]);
        }
    }
    float8 c = (float8)(0.0f);
    for (int o = 0; o < O; ++o) {
        const float8 out = 1.0f / (1.0f + exp(-zo[o]));
        const float8 t = vload8(0, y + o * n + s0);
#if COST == 0
        c += 0.5f * (out - t) * (out - t);
#else
        const float8 p = clamp(out, 1e-7f, 1.0f - 1e-7f);
        c -= t * log(p) + (1.0f - t) * log(1.0f - p);
#endif
    }
    c *= vload8(0, weight + s0);
    partial[g * get_global_size(0) + blk] = c.s0 + c.s1 + c.s2 + c.s3 + c.s4 + c.s5 + c.s6 + c.s7;
}
