def ok():
    return PrefectSecret("FINE")

x = "unterminated
y = call(1,
z = 3 $ 4
  bad_indent = 1
w = PrefectSecret("AFTER")
