"""course: the teaching machinery of Deep Learning Isn't the Brain."""
