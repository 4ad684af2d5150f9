export PREFECT__Context__Secrets__MAKE = $(MAKE_SECRET)
