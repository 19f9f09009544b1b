#!/usr/bin/env python3
"""SimPy M/M/c reference for the engine benchmark (same queue as `mp162 queue`).

usage: simpy_mmc.py LAMBDA MU C CUSTOMERS SEED  -> JSON with customers, mean_wait, wall_seconds
"""
import json, random, sys, time

import simpy

lam, mu, c, n, seed = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
waits = []


def customer(env, server):
    arrive = env.now
    with server.request() as req:
        yield req
        waits.append(env.now - arrive)
        yield env.timeout(rng.expovariate(mu))


def source(env, server):
    for _ in range(n):
        yield env.timeout(rng.expovariate(lam))
        env.process(customer(env, server))


t0 = time.perf_counter()
env = simpy.Environment()
server = simpy.Resource(env, capacity=c)
env.process(source(env, server))
env.run()
wall = time.perf_counter() - t0
print(json.dumps({"peer": "simpy", "customers": len(waits), "mean_wait": sum(waits) / len(waits),
                  "wall_seconds": wall, "customers_per_second": len(waits) / wall}))
