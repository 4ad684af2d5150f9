import TOML
print("not yet")
