# Runs AWS CLI commands in one long-lived Python process, for test/support/aws-cli.ts: the same awscli code as
# the `aws` command (its clidriver, a new one per command), without a Python start and botocore's imports per call.
# Reads one JSON request a line ({"args": [...], "env": {...}}), answers one JSON line {"code", "stdout", "stderr"}.
# The drivers share botocore's data loader (one per data path), which caches the service models it has read: each
# new driver otherwise parses EC2's model again, most of a command's time (0.55 s against 0.2 s, at load 21).
import contextlib
import io
import json
import os
import sys

import awscli
from awscli.clidriver import create_clidriver

# awscli puts its own data folder on AWS_DATA_PATH when imported, after the user's: each command's does the same.
awscli_data = os.path.join(os.path.dirname(awscli.__file__), "data")

loaders = {}


def driver():
    created = create_clidriver()
    data_path = os.environ["AWS_DATA_PATH"]
    if data_path in loaders:
        created.session.register_component("data_loader", loaders[data_path])
    else:
        loaders[data_path] = created.session.get_component("data_loader")
    return created


answers = sys.stdout
for line in sys.stdin:
    request = json.loads(line)
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["AWS_DATA_PATH"] = os.pathsep.join(filter(None, [request["env"].get("AWS_DATA_PATH"), awscli_data]))
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = driver().main(request["args"])
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
    answers.write(json.dumps({"code": code, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}) + "\n")
    answers.flush()
