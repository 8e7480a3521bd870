"""The API's request bodies and response shapes as pydantic models, one module per slice (``common``: what
they share). The OpenAPI document is built from them, and a route's ``responses`` names a model of any
module here by its class name (``registry``). Import a model from the module that defines it."""
