"""Dual numbers: a + b·ε with ε² = 0. Carry a value and its derivative through any plain
Python function built from + − × ÷, powers and the functions below: f(a + ε) = f(a) + f'(a)·ε."""
from __future__ import annotations

import math
from typing import Callable


class Dual:
    __slots__ = ("value", "deriv")

    def __init__(self, value: float, deriv: float = 0.0) -> None:
        self.value, self.deriv = float(value), float(deriv)

    def __repr__(self) -> str:
        return f"Dual({self.value!r}, {self.deriv!r})"

    @staticmethod
    def lift(x: "Dual | float") -> "Dual":
        return x if isinstance(x, Dual) else Dual(x, 0.0)

    def __add__(self, other):
        o = Dual.lift(other)
        return Dual(self.value + o.value, self.deriv + o.deriv)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.value, -self.deriv)

    def __sub__(self, other):
        return self + (-Dual.lift(other))

    def __rsub__(self, other):
        return Dual.lift(other) - self

    def __mul__(self, other):
        o = Dual.lift(other)
        return Dual(self.value * o.value, self.deriv * o.value + self.value * o.deriv)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = Dual.lift(other)
        return Dual(self.value / o.value, (self.deriv * o.value - self.value * o.deriv) / (o.value * o.value))

    def __rtruediv__(self, other):
        return Dual.lift(other) / self

    def __pow__(self, power):
        if isinstance(power, Dual):  # a^b = exp(b·ln a)
            return exp(power * log(self))
        return Dual(self.value ** power, power * self.value ** (power - 1) * self.deriv)

    def __rpow__(self, base):
        return exp(self * math.log(base))

    # comparisons look at the value, so functions with branches (relu, abs) work
    def __lt__(self, other): return self.value < Dual.lift(other).value
    def __le__(self, other): return self.value <= Dual.lift(other).value
    def __gt__(self, other): return self.value > Dual.lift(other).value
    def __ge__(self, other): return self.value >= Dual.lift(other).value


def _unary(f: Callable[[float], float], df: Callable[[float], float]):
    def apply(x):
        if isinstance(x, Dual):
            return Dual(f(x.value), df(x.value) * x.deriv)
        return f(x)
    return apply


exp = _unary(math.exp, math.exp)
log = _unary(math.log, lambda v: 1.0 / v)
sqrt = _unary(math.sqrt, lambda v: 0.5 / math.sqrt(v))
tanh = _unary(math.tanh, lambda v: 1.0 - math.tanh(v) ** 2)
sin = _unary(math.sin, math.cos)
cos = _unary(math.cos, lambda v: -math.sin(v))


def _sig(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


sigmoid = _unary(_sig, lambda v: _sig(v) * (1.0 - _sig(v)))


def derivative(f: Callable, x: float) -> tuple[float, float]:
    """(f(x), f'(x)) by seeding the ε part with 1."""
    out = f(Dual(x, 1.0))
    out = Dual.lift(out)
    return out.value, out.deriv
