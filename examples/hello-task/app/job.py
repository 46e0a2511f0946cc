"""hello-task: a WeTEE job that computes something and writes its result.

The result file /work/result (the instance's private work directory) is what the agent hashes into
the signed run result (Cloud.completeRun); stdout goes to the run's logs.
"""
import hashlib
import json
import os

n = int(os.environ.get("N", "20"))
fib = [0, 1]
while len(fib) < n:
    fib.append(fib[-1] + fib[-2])
result = {"workload": os.environ.get("WETEE_WORKLOAD_ID"), "fibonacci": fib[:n]}
text = json.dumps(result, sort_keys=True)
with open("/work/result", "w") as f:
    f.write(text)
print("wrote result sha256", hashlib.sha256(text.encode()).hexdigest(), flush=True)
