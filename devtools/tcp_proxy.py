"""A small TCP proxy for fault tests: forwards a local port to a server (e.g. PostgreSQL on
127.0.0.1:5432) and can take the link down and bring it back, the way a database outage looks
to the programs that use it.

``down()`` closes the listening socket and every open connection (new connections are refused,
open ones break); ``up()`` listens again on the same port.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType

from devtools.servers import free_port

_ACCEPT_POLL_S = 0.1
_CHUNK = 65536


class TcpProxy:
    """Forwards ``127.0.0.1:port`` to ``target`` while up."""

    def __init__(self, target: tuple[str, int], port: int | None = None) -> None:
        self.target = target
        self.port = port or free_port()
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self.accepted = 0

    @property
    def is_up(self) -> bool:
        return self._listener is not None

    def up(self) -> None:
        """Listens (again) on the proxy's port."""
        if self._listener is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(_ACCEPT_POLL_S)
        self._stop.clear()
        self._listener = listener
        self._acceptor = threading.Thread(
            target=self._accept, args=(listener,), name=f"tcp-proxy-{self.port}", daemon=True
        )
        self._acceptor.start()

    def down(self) -> None:
        """Stops listening (new connections are refused) and breaks every open connection."""
        listener, self._listener = self._listener, None
        if listener is None:
            return
        self._stop.set()
        if self._acceptor is not None:
            self._acceptor.join()
        listener.close()
        with self._lock:
            sockets, self._open = list(self._open), set()
        for each in sockets:
            _close(each)

    def close(self) -> None:
        self.down()

    def __enter__(self) -> TcpProxy:
        self.up()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            client.settimeout(None)
            server.settimeout(None)
            with self._lock:
                if self._stop.is_set():
                    _close(client)
                    _close(server)
                    return
                self._open.update((client, server))
                self.accepted += 1
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(_CHUNK):
                sink.sendall(chunk)
        except OSError:
            pass
        with self._lock:
            self._open.discard(source)
            self._open.discard(sink)
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
