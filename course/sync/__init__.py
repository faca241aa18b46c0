"""What a laptop and the coordinator share to move records between them without trusting the
bytes: strict JSON (`strict_json`), bounded zips (`archive`), device keys and signatures
(`devices`). Nothing here parses a byte before its size, and then its signature, are checked.
"""
