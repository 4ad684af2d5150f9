import prefect as pf


@pf.task
@decorators.register(name="x")
class Task(pf.Task):
    def run(self, value=pf.context.get("flow_name")):
        try:
            result = pf.client.Secret("TRY_SECRET").get()
        except (KeyError, ValueError) as error:
            raise RuntimeError("no secret") from error
        finally:
            cleanup()
        for item in load("items"):
            if (n := len(item)) > 3:
                continue
        while check():
            break
        global COUNTER
        COUNTER += 1
        return {"k": value, "s": [1, 2], "t": (3,), "set": {4, 5}}


async def main():
    async for chunk in stream("s"):
        print(chunk); other(chunk)
    data = await fetch(url="https://example.invalid")
    x = [i for i in range(3)]
    y = {k: v for k, v in data.items()}
    z = not data
    return x if y else z

if __name__ == "__main__":
    main()
