"""The NN Arcade network library: data, model, backends, gradients, optimizers, trainer.

Never imports pygame: everything here runs headless.
"""
