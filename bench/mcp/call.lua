-- POST /call list_channels for wrk; the token (if any) comes from the GAZETTE_API_TOKEN environment variable.
wrk.method = "POST"
wrk.body = '{"tool_name": "list_channels", "arguments": {"user_id": 1}}'
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("GAZETTE_API_TOKEN")
if token and #token > 0 then wrk.headers["Authorization"] = "Bearer " .. token end
