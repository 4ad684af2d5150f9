import PythonSource
print("not yet")
