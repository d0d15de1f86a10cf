"""The feed poller service and WebSub."""
