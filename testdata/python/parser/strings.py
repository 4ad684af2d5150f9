plain = "a\tb\n\x41\u00e9\101"
raw = r"C:\path\n"
joined = ("one " 'two '
          """three""")
data = b"\x00\xff"
mixed = "a" f"{b!r:>{width}}" "c"
nested = f"{f'{x}'}"
named = "\N{BULLET} item"
cont = "line \
continued"
