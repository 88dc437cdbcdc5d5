using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

// The threads, mentions and read-receipts benchmark (bench/threads.sh runs it). One room of N
// participants, each with a user socket open. The sender (the first user) sends, one at a time:
//   plain   a plain message;
//   room    a message with @room (everyone gets a notification and a mention count);
//   thread  a reply in a thread (everyone gets message_new and thread_updated; its followers, the
//           root's author and 100 who followed by hand, also a notification and unread_updated).
// For each participant but the sender it times, from just before the POST, the arrival of every
// frame that participant must get for that message, and reports p50/p99 of the last one (when the
// participant has everything) and the server's CPU per message, read from /proc/<pid>/stat.
// Then the read-receipt load: every participant marks the room read once a second while the
// sender posts one message a second; server CPU, marks per second and database writes per second.
// Users come from --users (id<TAB>username lines, made with SQL by the script); their access tokens
// are signed here with the server's --signing-key, so the setup costs no password hashing.
var o = Options.Parse(args);
var users = File.ReadAllLines(o.UsersFile).Where(l => l.Length > 0).Select(l => l.Split('\t'))
    .Select(f => new BenchUser(int.Parse(f[0], CultureInfo.InvariantCulture), f[1])).ToArray();
var tokens = users.ToDictionary(u => u.Id, u => Tokens.Mint(u, o.SigningKey, o.Issuer));
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 128, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
{
    BaseAddress = new Uri(o.Url),
    Timeout = TimeSpan.FromSeconds(60),
};
var api = new Api(http, tokens);
var sender = users[0];
var report = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

// Sockets: one user socket per participant.
var connectWatch = Stopwatch.StartNew();
var sockets = new UserSocket[users.Length];
using (var gate = new SemaphoreSlim(32))
{
    await Task.WhenAll(users.Select(async (u, i) =>
    {
        await gate.WaitAsync();
        try
        {
            sockets[i] = await UserSocket.OpenAsync(new UriBuilder(o.Url) { Scheme = "ws", Path = "/ws/", Query = "token=" + tokens[u.Id] }.Uri, u.Id);
            // Read and ping from the start: the server closes a user socket silent for twice heartbeat_seconds.
            sockets[i].StartReading();
        }
        finally
        {
            gate.Release();
        }
    }));
}
Say($"connected {sockets.Length} user sockets in {connectWatch.Elapsed.TotalSeconds:0.0} s");
var others = sockets.Where(s => s.UserId != sender.Id).ToArray();

// The thread: a root by the second user, followed by hand by the next 100 (and by the sender, who replies).
var rootAuthor = users[1];
var root = await api.SendAsync(rootAuthor.Id, o.Room, "the thread's root", null);
var followers = new HashSet<int> { rootAuthor.Id };
foreach (var u in users.Skip(2).Take(o.Followers))
{
    await api.PostAsync(u.Id, $"/api/chat/threads/{root}/follow/", new { following = true });
    followers.Add(u.Id);
}
Say($"thread root {root}: {followers.Count} followers besides the sender (its author and {followers.Count - 1} by hand), {others.Length - followers.Count} participants not following");

// Warm-up: one of each (JIT, query plans, pools); not counted.
var mentionRounds = 0;
var results = new Dictionary<Kind, KindResult> { [Kind.Plain] = new(), [Kind.Room] = new(), [Kind.Thread] = new() };
foreach (var kind in new[] { Kind.Plain, Kind.Room, Kind.Thread })
{
    await RoundAsync(kind, warmUp: true);
}

for (var r = 0; r < o.Rounds; r++)
{
    foreach (var kind in new[] { Kind.Plain, Kind.Room, Kind.Thread })
    {
        await RoundAsync(kind, warmUp: false);
    }
}

Say("");
Say($"## Messages to a room of {users.Length} participants with {users.Length} user sockets open ({o.Rounds} of each, interleaved; one at a time)");
Say("");
Say("Time from just before the POST until a participant has every frame it must get for that message (the sender left out); server CPU from /proc/<pid>/stat (utime+stime) over the rounds of that kind.");
Say("");
Say("| message | frames each participant must get | participants x messages | p50 ms | p99 ms | max ms | missing | server CPU per message ms | frames per message |");
Say("|---|---|---|---|---|---|---|---|---|");
foreach (var (kind, res) in results)
{
    Say($"| {KindName(kind)} | {Needs(kind)} | {res.Complete.Count} | {P(res.Complete, 50):0.0} | {P(res.Complete, 99):0.0} | {P(res.Complete, 100):0.0} | {res.Missing} | {res.CpuMs / o.Rounds:0.0} | {res.Frames / (double)o.Rounds:0} |");
}
Say("");
var plain = results[Kind.Plain];
foreach (var kind in new[] { Kind.Room, Kind.Thread })
{
    var res = results[kind];
    Say($"- {KindName(kind)} / plain: p50 {P(res.Complete, 50) / P(plain.Complete, 50):0.00}x, p99 {P(res.Complete, 99) / P(plain.Complete, 99):0.00}x, server CPU per message {res.CpuMs / plain.CpuMs:0.00}x");
}
Say("");
Say("Per frame (p50 / p99 ms from the POST):");
foreach (var (kind, res) in results)
{
    Say($"- {KindName(kind)}: " + string.Join("; ", res.ByFrame.OrderBy(x => x.Key).Select(x => $"{x.Key} {P(x.Value, 50):0.0} / {P(x.Value, 99):0.0} (n={x.Value.Count})")));
}

if (o.ReceiptSeconds > 0)
{
    await ReceiptLoadAsync();
}
foreach (var s in sockets)
{
    s.Abort();
}
if (o.Out is not null)
{
    await File.WriteAllTextAsync(o.Out, report.ToString());
}
return;

async Task RoundAsync(Kind kind, bool warmUp)
{
    if (kind == Kind.Room)
    {
        mentionRounds++;
    }
    var mentionsNeeded = mentionRounds;
    foreach (var s in others)
    {
        s.Arm(kind switch
        {
            Kind.Plain => new Expect(true, false, true, 0, false),
            Kind.Room => new Expect(true, true, true, mentionsNeeded, false),
            _ => new Expect(true, followers.Contains(s.UserId), followers.Contains(s.UserId), 0, true),
        });
    }
    var cpu0 = Proc.CpuTicks(o.ServerPid);
    var frames0 = others.Sum(s => s.Frames) + sockets[0].Frames;
    var t0 = Stopwatch.GetTimestamp();
    var content = kind switch
    {
        Kind.Plain => "a plain message",
        Kind.Room => "@room a message for everyone",
        _ => "a reply in the thread",
    };
    await api.SendAsync(sender.Id, o.Room, content, kind == Kind.Thread ? root : null);
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (others.Any(s => !s.Done) && DateTime.UtcNow < deadline)
    {
        await Task.Delay(5);
    }
    var cpu1 = Proc.CpuTicks(o.ServerPid);
    var late = others.Where(s => !s.Done).ToList();
    Console.Error.WriteLine($"{(warmUp ? "warm-up " : "")}{kind}: {others.Length - late.Count} of {others.Length} complete in {Ms(Stopwatch.GetTimestamp() - t0):0} ms" +
        (late.Count == 0 ? "" : "; the incomplete lack " + string.Join(", ", late.SelectMany(s => s.Lacking()).GroupBy(x => x).Select(g => $"{g.Key} x{g.Count()}"))));
    // Let stragglers (frames nobody waits for) land before the next message.
    await Task.Delay(300);
    if (warmUp)
    {
        return;
    }
    var res = results[kind];
    res.CpuMs += (cpu1 - cpu0) * 10.0;
    res.Frames += others.Sum(s => s.Frames) + sockets[0].Frames - frames0;
    foreach (var s in others)
    {
        if (!s.Done)
        {
            res.Missing++;
            continue;
        }
        res.Complete.Add(Ms(s.CompletedAt - t0));
        foreach (var (frame, at) in s.Arrivals)
        {
            (res.ByFrame.TryGetValue(frame, out var list) ? list : res.ByFrame[frame] = []).Add(Ms(at - t0));
        }
    }
}

async Task ReceiptLoadAsync()
{
    Say("");
    Say($"## Read-receipt load: {users.Length} participants each marking the room read once a second for {o.ReceiptSeconds} s, the sender posting one message a second, every socket open");
    Say("");
    foreach (var s in sockets)
    {
        s.Arm(null);
    }
    var before = Db.Snapshot(o.Psql);
    var cpu0 = Proc.CpuTicks(o.ServerPid);
    var deliveries0 = await Metrics.DeliveriesAsync(http, o.MetricsToken);
    var frames0 = sockets.Sum(s => s.Frames);
    var receipts0 = sockets.Sum(s => s.ReadReceipts);
    var lastMark = new int?[users.Length];
    long attempted = 0, completed = 0, failed = 0, moved = 0, skipped = 0, pending = 0;
    const int MaxInFlight = 200;
    var latencies = new List<double>();
    var sentMessages = 0;
    var watch = Stopwatch.StartNew();
    var inFlight = new List<Task>();
    var total = users.Length * o.ReceiptSeconds;
    var interval = Stopwatch.Frequency / (double)users.Length;
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < total; i++)
    {
        var intended = start + (long)(i * interval);
        var wait = (intended - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
        if (wait > 0)
        {
            await Task.Delay((int)wait);
        }
        if (i % users.Length == 0)
        {
            sentMessages++;
            inFlight.Add(api.SendAsync(sender.Id, o.Room, "one a second", null));
        }
        var index = i % users.Length;
        var user = users[index];
        attempted++;
        // Open loop with a bound: a mark whose time comes while MaxInFlight are still unanswered is
        // skipped and counted, so that a server that falls behind shows as a lower rate, not as a
        // queue that outlives the run.
        if (Volatile.Read(ref pending) >= MaxInFlight)
        {
            skipped++;
            continue;
        }
        Interlocked.Increment(ref pending);
        inFlight.Add(Task.Run(async () =>
        {
            try
            {
                var answer = await api.PostAsync(user.Id, $"/api/chat/rooms/{o.Room}/mark_read/", new { });
                var mark = (int?)answer["last_read_message_id"];
                lock (latencies)
                {
                    latencies.Add(Ms(Stopwatch.GetTimestamp() - intended));
                    completed++;
                    if (mark is not null && (lastMark[index] is null || mark > lastMark[index]))
                    {
                        moved++;
                        lastMark[index] = mark;
                    }
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                Interlocked.Decrement(ref pending);
            }
        }));
    }
    var loadSeconds = watch.Elapsed.TotalSeconds;
    await Task.WhenAll(inFlight);
    var seconds = watch.Elapsed.TotalSeconds;
    var cpu1 = Proc.CpuTicks(o.ServerPid);
    await Task.Delay(2500);
    var after = Db.Snapshot(o.Psql);
    var deliveries1 = await Metrics.DeliveriesAsync(http, o.MetricsToken);
    latencies.Sort();
    Say($"- marks: {completed} of {attempted} due answered ({skipped} skipped because {MaxInFlight} were still unanswered, {failed} failed) in {seconds:0.0} s (paced over {loadSeconds:0.0} s) = {completed / seconds:0} marks/s; latency from the intended time p50 {P(latencies, 50):0} ms, p99 {P(latencies, 99):0} ms");
    Say($"- marks that moved the read mark: {moved} ({moved / seconds:0}/s); messages posted: {sentMessages}");
    Say($"- server CPU: {(cpu1 - cpu0) / 100.0 / seconds * 100:0}% of one core = {(cpu1 - cpu0) * 10.0 / Math.Max(1, completed) * 1000:0} µs per mark");
    Say($"- read_receipt frames received by the {sockets.Length} sockets: {sockets.Sum(s => s.ReadReceipts) - receipts0} ({(sockets.Sum(s => s.ReadReceipts) - receipts0) / seconds:0}/s); all frames {(sockets.Sum(s => s.Frames) - frames0) / seconds:0}/s"
        + (deliveries0 is { } d0 && deliveries1 is { } d1 ? $"; server-side frames queued to sockets {(d1 - d0) / seconds:0}/s" : ""));
    if (before is not null && after is not null)
    {
        Say($"- PostgreSQL (pg_stat_database / pg_stat_user_tables / WAL position, before and after): {(after.Commits - before.Commits) / seconds:0} committed transactions/s (reads included), " +
            $"{(after.Inserted - before.Inserted) / seconds:0} rows inserted/s, {(after.Updated - before.Updated) / seconds:0} rows updated/s, {(after.Deleted - before.Deleted) / seconds:0} deleted/s, " +
            $"{(after.WalBytes - before.WalBytes) / seconds / 1024:0} KB of WAL/s");
    }
    Say($"- database writes counted from the answers: {moved / seconds:0} read-mark UPDATEs/s that changed a row + {sentMessages / seconds:0.0} message INSERTs/s " +
        "(a mark that does not move changes no row; each mark also runs one UPDATE of the caller's unread notifications of the room, " +
        "which changes rows only on a participant's first mark here: the @room notifications of the message rounds, not counted)");
}

static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

static double P(List<double> values, double p)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)(p / 100 * sorted.Count))];
}

static string KindName(Kind kind) => kind switch
{
    Kind.Plain => "(a) plain",
    Kind.Room => "(b) @room",
    _ => "(c) thread reply",
};

static string Needs(Kind kind) => kind switch
{
    Kind.Plain => "message_new, unread_updated",
    Kind.Room => "message_new, notification_created, unread_updated (mention_count up)",
    _ => "message_new, thread_updated; followers also notification_created, unread_updated",
};

internal enum Kind { Plain, Room, Thread }

internal sealed class KindResult
{
    public List<double> Complete { get; } = [];
    public Dictionary<string, List<double>> ByFrame { get; } = [];
    public int Missing { get; set; }
    public double CpuMs { get; set; }
    public long Frames { get; set; }
}

/// <summary>What one participant must receive for the message in flight.</summary>
internal sealed record Expect(bool Message, bool Notification, bool Unread, int MentionsAtLeast, bool ThreadUpdated);

internal sealed record BenchUser(int Id, string Username);

internal sealed record Options(string Url, int ServerPid, string UsersFile, string SigningKey, string Issuer, int Room, int Rounds, int Followers,
    int ReceiptSeconds, string? Psql, string? MetricsToken, string? Out)
{
    public static Options Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(Get("url")!, Int("server-pid", 0), Get("users")!, Get("signing-key")!, Get("issuer") ?? "switchboard",
            Int("room", 0), Int("rounds", 5), Int("followers", 100), Int("receipt-seconds", 20), Get("psql"), Get("metrics-token"), Get("out"));
    }
}

internal static class Tokens
{
    /// <summary>An HS256 access token as the server signs them (issuer and audience "switchboard", a session id that was never ended).</summary>
    public static string Mint(BenchUser user, string key, string issuer)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8.ToArray());
        var payload = B64(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["sub"] = user.Id.ToString(CultureInfo.InvariantCulture),
            ["unique_name"] = user.Username,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["sid"] = (900_000_000 + user.Id).ToString(CultureInfo.InvariantCulture),
            ["iss"] = issuer,
            ["aud"] = issuer,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 6 * 3600,
        }.ToJsonString()));
        var signature = B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed class Api(HttpClient http, Dictionary<int, string> tokens)
{
    public async Task<int> SendAsync(int userId, int room, string content, int? threadRootId)
    {
        var answer = await PostAsync(userId, "/api/chat/messages/", threadRootId is null
            ? new { room, content, type = "text" }
            : (object)new { room, content, type = "text", thread_root_id = threadRootId });
        return (int)answer["id"]!;
    }

    public async Task<JsonObject> PostAsync(int userId, string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[userId]);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}

/// <summary>A user socket that notes when each awaited frame of the message in flight arrives.</summary>
internal sealed class UserSocket
{
    private readonly ClientWebSocket _socket;
    private readonly Lock _gate = new();
    private Expect? _expect;
    private bool _message, _notification, _unread, _thread;

    private UserSocket(ClientWebSocket socket, int userId)
    {
        _socket = socket;
        UserId = userId;
    }

    public int UserId { get; }
    public long Frames;
    public long ReadReceipts;
    public bool Done { get; private set; }
    public long CompletedAt { get; private set; }
    public List<(string Frame, long At)> Arrivals { get; } = [];

    public static async Task<UserSocket> OpenAsync(Uri uri, int userId)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new UserSocket(socket, userId);
    }

    public void Arm(Expect? expect)
    {
        lock (_gate)
        {
            _expect = expect;
            _message = _notification = _unread = _thread = false;
            Done = expect is null;
            Arrivals.Clear();
        }
    }

    public void StartReading()
    {
        _ = Task.Run(ReadAsync);
        // The server closes a user socket that stays silent for twice heartbeat_seconds.
        _ = Task.Run(async () =>
        {
            while (_socket.State == WebSocketState.Open)
            {
                await Task.Delay(TimeSpan.FromSeconds(20));
                try
                {
                    await _socket.SendAsync("{\"type\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (Exception)
                {
                    return;
                }
            }
        });
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                if (await SocketFrames.ReceiveAsync(_socket, buffer) is not { } length)
                {
                    return;
                }
                var now = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref Frames);
                On(buffer.AsSpan(0, length), now);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted at the end.
        }
    }

    private void On(ReadOnlySpan<byte> frame, long now)
    {
        var head = frame[..Math.Min(frame.Length, 96)];
        if (head.IndexOf("\"type\":\"read_receipt\""u8) >= 0)
        {
            Interlocked.Increment(ref ReadReceipts);
            return;
        }
        lock (_gate)
        {
            if (_expect is not { } e || Done)
            {
                return;
            }
            if (e.Message && !_message && head.IndexOf("\"type\":\"message_new\""u8) >= 0)
            {
                _message = true;
                Arrivals.Add(("message_new", now));
            }
            else if (e.Notification && !_notification && head.IndexOf("\"type\":\"notification_created\""u8) >= 0)
            {
                _notification = true;
                Arrivals.Add(("notification_created", now));
            }
            else if (e.ThreadUpdated && !_thread && head.IndexOf("\"type\":\"thread_updated\""u8) >= 0)
            {
                _thread = true;
                Arrivals.Add(("thread_updated", now));
            }
            else if (e.Unread && !_unread && head.IndexOf("\"type\":\"unread_updated\""u8) >= 0
                     && Number(frame, "\"mention_count\":"u8) >= e.MentionsAtLeast)
            {
                _unread = true;
                Arrivals.Add(("unread_updated", now));
            }
            if (_message == e.Message && _notification == e.Notification && _thread == e.ThreadUpdated && _unread == e.Unread)
            {
                Done = true;
                CompletedAt = now;
            }
        }
    }

    private static int Number(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> name)
    {
        var at = frame.IndexOf(name);
        if (at < 0)
        {
            return -1;
        }
        System.Buffers.Text.Utf8Parser.TryParse(frame[(at + name.Length)..], out int value, out _);
        return value;
    }

    public IEnumerable<string> Lacking()
    {
        lock (_gate)
        {
            if (_expect is not { } e)
            {
                return [];
            }
            var lacking = new List<string>();
            if (e.Message && !_message) lacking.Add("message_new");
            if (e.Notification && !_notification) lacking.Add("notification_created");
            if (e.ThreadUpdated && !_thread) lacking.Add("thread_updated");
            if (e.Unread && !_unread) lacking.Add("unread_updated");
            if (_socket.State != WebSocketState.Open) lacking.Add("(socket " + _socket.State + ")");
            return lacking;
        }
    }

    public void Abort() => _socket.Abort();
}

internal sealed record DbCounters(long Commits, long Inserted, long Updated, long Deleted, long WalBytes);

internal static class Db
{
    /// <summary>PostgreSQL's counters for the current database, through psql (null without --psql).</summary>
    public static DbCounters? Snapshot(string? psql)
    {
        if (psql is null)
        {
            return null;
        }
        const string sql = "select (select xact_commit from pg_stat_database where datname = current_database()), " +
            "sum(n_tup_ins), sum(n_tup_upd), sum(n_tup_del), pg_current_wal_lsn() - '0/0'::pg_lsn from pg_stat_user_tables";
        var start = new ProcessStartInfo("psql") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in psql.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(a);
        }
        start.ArgumentList.Add("-AtF");
        start.ArgumentList.Add(" ");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(sql);
        using var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        var f = line.Split(' ').Select(x => (long)decimal.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return new DbCounters(f[0], f[1], f[2], f[3], f[4]);
    }
}

internal static class Metrics
{
    /// <summary>The server's count of frames queued to sockets, from /metrics (null when metrics are off).</summary>
    public static async Task<double?> DeliveriesAsync(HttpClient http, string? token)
    {
        if (token is null)
        {
            return null;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n').Where(l => l.StartsWith("switchboard_socket_deliveries", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
