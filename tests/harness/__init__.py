"""Test harness: starts moto_server, builds a customer's AWS world, runs the real binary.

Everything listens on 127.0.0.1 with kernel-chosen or probed-free ports and is stopped afterwards.
"""
