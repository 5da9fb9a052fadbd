"""What the figures were measured on: cores, memory, CPU, load, Python and package versions."""

import os
import platform
import sys
from importlib import metadata

PACKAGES = ("pandas", "plotly", "ipywidgets", "jupyterlab", "ipykernel", "nbclient", "pytest",
            "playwright", "numpy")


def _cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb():
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        return f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration, ValueError):
        return "unknown"


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def info():
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return {
        "cores (nproc)": os.cpu_count(),
        "RAM": _ram_gb(),
        "CPU": _cpu(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "load average (1, 5, 15 min)": load,
        "packages": ", ".join(f"{p} {_version(p)}" for p in PACKAGES),
    }


def text():
    return "\n".join(f"{k}: {v}" for k, v in info().items())
