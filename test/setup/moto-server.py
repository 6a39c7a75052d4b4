"""moto's server for the tests, answering one request at a time.

moto_server handles each connection in a thread of its own, and its backends take no lock: a
conditional write reads the item, evaluates the condition, then stores, and two requests in
flight together can both see "absent" and both succeed. AWS never does that, so the tests of
"only one of two concurrent claims wins" (DynamoDB conditional puts) would fail now and then,
more often on a loaded machine. Serialising the application (not the connections) gives
every request the atomicity the real service has; the requests still arrive concurrently.

Nothing may block inside a request while holding the lock (an SQS long poll would stall every
other test): the tests receive with WaitTimeSeconds 0.
"""

import threading

from moto.moto_server import werkzeug_app
from moto.server import main

_one_at_a_time = threading.Lock()
_dispatch = werkzeug_app.DomainDispatcherApplication.__call__


def _serialised(self, environ, start_response):
    with _one_at_a_time:
        return _dispatch(self, environ, start_response)


werkzeug_app.DomainDispatcherApplication.__call__ = _serialised

if __name__ == "__main__":
    main()
