// Finite differences and forward-mode dual numbers for the first layer's weights W1[i, j],
// the 99% of the parameters. Compiled after mlp.cl (same -D H, O, ACT, COST; its helpers).
// One work-group per active pixel i (a pixel non-zero somewhere in the batch), one work-item
// per hidden neuron j: nudging W1[i, j] changes hidden neuron j only, then every output.
// Inputs: x (n x ninputs dense), per-sample primal values z1, a1 (n x H), z2, a2, y (n x O).

// 1 - exp(-d), accurate for tiny d without a call: a short series below 1e-3 (error < 1e-13).
inline float one_minus_exp_neg(float d) {
    if (fabs(d) < 1e-3f) return d * (1.0f - d * (0.5f - d * (1.0f / 6.0f - d * (1.0f / 24.0f))));
    return 1.0f - exp(-d);
}

// sigma(z + d) - sigma(z) from a = sigma(z), exactly and without cancellation:
// e^-(z+d) = ((1-a)/a)(1-q) with q = 1 - e^-d, so the change is a(1-a)q / (a + (1-a)(1-q)).
inline float sigmoid_change(float a, float d) {
    const float q = one_minus_exp_neg(d);
    return a * (1.0f - a) * q / (a + (1.0f - a) * (1.0f - q));
}

// f(z + d) - f(z) without cancellation, given a = f(z)
inline float hidden_change(float z, float a, float d) {
#if ACT == 0
    return sigmoid_change(a, d);
#elif ACT == 1
    return fmax(z + d, 0.0f) - a;
#else
    const float t = fabs(d) < 1e-3f ? d * (1.0f - d * d * (1.0f / 3.0f)) : tanh(d);
    return t * (1.0f - a * a) / (1.0f + a * t);   // tanh(z+d) - tanh z = t(1 - a^2)/(1 + a t)
#endif
}

// cost(a + da) - cost(a) for one output, without cancellation
inline float cost_change(float a, float da, float y) {
#if COST == 0
    return 0.5f * da * (2.0f * a + da - 2.0f * y);
#else
    const float ac = clamp(a, 1e-7f, 1.0f - 1e-7f);
    const float an = clamp(a + da, 1e-7f, 1.0f - 1e-7f);
    return -(y * log1p((an - ac) / ac) + (1.0f - y) * log1p(-(an - ac) / (1.0f - ac)));
#endif
}

// Finite differences: the change of the cost when W1[i, j] moves by +eps (and -eps if central).
inline float fd_term(int s, int j, float xi, __global const float* W2, __global const float* z1,
                     __global const float* a1, __global const float* a2, __global const float* y,
                     float eps, int central) {
    float acc = 0.0f;
    for (int side = 0; side <= central; ++side) {
        const float sgn = side ? -1.0f : 1.0f;
        const float da1 = hidden_change(z1[s * H + j], a1[s * H + j], sgn * eps * xi);
        float dc = 0.0f;
        for (int o = 0; o < O; ++o) {
            const float da2 = sigmoid_change(a2[s * O + o], da1 * W2[j * O + o]);
            dc += cost_change(a2[s * O + o], da2, y[s * O + o]);
        }
        acc += sgn * dc;
    }
    return acc / ((1 + central) * eps);
}

// Forward mode: the tangent of W1[i, j] is x_i at z1_j, f'(z1_j)*x_i at a1_j, W2[j,o]*that at
// z2_o, and dC/dz2_o*that at the cost; pushed through for every parameter on its own.
inline float dual_term(int s, int j, float xi, __global const float* W2, __global const float* a1,
                       __global const float* dc_dz2) {
    const float t_a1 = hidden_dact(a1[s * H + j]) * xi;
    float t_cost = 0.0f;
    for (int o = 0; o < O; ++o) t_cost += dc_dz2[s * O + o] * (W2[j * O + o] * t_a1);
    return t_cost;
}

// The shared loop; each entry point below passes a constant mode, so after inlining the
// branch disappears (a runtime mode argument measured 1.5-2x slower on PoCL).
inline void w1_gradient(__global const float* x, const int ninputs, const int n,
                        __global const int* pixels, __global const float* W2,
                        __global const float* z1, __global const float* a1, __global const float* a2,
                        __global const float* y, __global const float* dc_dz2,
                        const float eps, const int central, const int mode, __global float* grad)
{
    const int i = pixels[get_group_id(0)];
    const int j = get_local_id(0);
    if (j >= H) return;
    float acc = 0.0f;
    for (int s = 0; s < n; ++s) {
        const float xi = x[s * ninputs + i];
        if (xi == 0.0f) continue;  // this sample's pixel is 0: nudging W1[i, j] changes nothing
        acc += mode == 0 ? dual_term(s, j, xi, W2, a1, dc_dz2)
                         : fd_term(s, j, xi, W2, z1, a1, a2, y, eps, central);
    }
    grad[i * H + j] = acc / n;
}

#define W1_ARGS __global const float* x, const int ninputs, const int n, __global const int* pixels, \
    __global const float* W2, __global const float* z1, __global const float* a1, __global const float* a2, \
    __global const float* y, __global const float* dc_dz2, const float eps, const int central, __global float* grad

__kernel void dual_w1(W1_ARGS) { w1_gradient(x, ninputs, n, pixels, W2, z1, a1, a2, y, dc_dz2, eps, central, 0, grad); }
__kernel void fd_w1(W1_ARGS) { w1_gradient(x, ninputs, n, pixels, W2, z1, a1, a2, y, dc_dz2, eps, central, 1, grad); }
