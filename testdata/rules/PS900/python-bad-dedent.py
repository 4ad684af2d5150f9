from prefect import Flow

if True:
        x = 1
    y = 2
