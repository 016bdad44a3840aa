#!/bin/sh
# /usr/bin/qingying: the bundle's own executable, which finds its libraries beside it.
exec /opt/qingying/qingying "$@"
