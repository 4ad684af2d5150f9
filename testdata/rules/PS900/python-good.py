import os

VALUE = "ok"
