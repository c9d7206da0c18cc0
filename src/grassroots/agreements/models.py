"""Brief and agreement versions and signatures."""
