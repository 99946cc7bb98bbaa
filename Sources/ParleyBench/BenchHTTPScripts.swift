/// The Lua scripts `parley-bench http` gives wrk: what each connection sends, and a `done()`
/// that prints the figures in one parseable line (`parley-wrk key=value …`, latencies in µs).
enum BenchHTTPScripts {
    /// Prints wrk's summary as one line `WrkFigures` reads.
    static let done = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("parley-wrk requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
            "connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d\\n",
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
            latency.max, e.connect, e.read, e.write, e.status, e.timeout))
        end
        """

    /// The bare route: wrk's own GET of the URL, figures printed by `done`.
    static let bare = done

    /// Web chat users through the template app, each a distinct sender on a thread of its own,
    /// each with the next message only after the previous answer (read from the answer's
    /// `recipient_id`, as a client would): page_open (greeting, name question), a name (issue
    /// question with buttons), a click on the first button's payload (handoff text), an order
    /// question (a sub-flow with a lookup), `contact` (a text with a vault value). Every message
    /// carries a `message_id`, as web clients send for safe retries. Senders are unique per wrk
    /// thread and run: `<run>-<thread>-<n>`.
    static let turns = """
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("thread_number", threads)  -- a global of that thread's script
        end

        local prefix, started = "", 0
        local step = {}     -- sender -> the step its last message was
        local ready = {}    -- {sender, next step, button payload}: answered, next message due
        local headers = {["Content-Type"] = "application/json"}

        function init(args)
          prefix = (args[1] or "bench") .. "-" .. thread_number .. "-"
        end

        local function message(sender, number, fields)
          return '{"sender":"' .. sender .. '","message_id":"' .. sender .. '-' .. number .. '",' .. fields .. '}'
        end

        request = function()
          local sender, number, payload
          local due = table.remove(ready)
          if due then
            sender, number, payload = due[1], due[2], due[3]
          else
            started = started + 1
            sender, number = prefix .. started, 1
          end
          step[sender] = number
          local fields
          if number == 1 then
            fields = '"event":"page_open","url":"https://shop.example.com/help"'
          elseif number == 2 then
            fields = '"message":"Ana"'
          elseif number == 3 then
            if payload then fields = '"button":"' .. payload .. '"' else fields = '"message":"Hardware"' end
          elseif number == 4 then
            fields = '"message":"where is my order #1234"'
          else
            fields = '"message":"contact"'
          end
          return wrk.format("POST", "/webhooks/rest/webhook", headers, message(sender, number, fields))
        end

        response = function(status, headers, body)
          local sender = body:match('"recipient_id":"([^"]+)"')
          if not sender then return end
          local number = step[sender]
          step[sender] = nil
          if number and number < 5 then
            table.insert(ready, {sender, number + 1, body:match('"payload":"([^"]+)"')})
          end
        end

        """ + done
}
