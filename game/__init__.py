"""The NN Arcade Pygame app: scenes and widgets. Every number it draws comes from ``nn``."""
