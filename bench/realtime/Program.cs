using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// WebSocket load generator for Switchboard's chat. It sets up users, a project and rooms over
// REST, opens one socket per participant, sends at a fixed total rate with each message's
// intended send time inside it, and measures every delivery (the sender's own included) against
// that intended time, so that a stalled sender cannot hide latency (no coordinated omission).
//
//   dotnet run -c Release -- --url http://127.0.0.1:8000 --rooms 100 --members 10 --rate 500 --seconds 20
//   dotnet run -c Release -- --url http://127.0.0.1:8000 --idle 10000 --server-pid 1234
//   dotnet run -c Release -- --url http://127.0.0.1:8000 --user-socket --users 1000 --rooms 100 --rooms-per-user 10 --rate 200
// The last is the user-socket shape: one /ws/ socket per user carrying all of that user's rooms.
var options = Options.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromMinutes(2) };
var api = new Api(http);

if (options.Idle > 0)
{
    await IdleRun.RunAsync(api, options);
    return;
}
await LoadRun.RunAsync(api, options);

internal sealed record Options(string Url, int Rooms, int Members, int Rate, int Seconds, int Idle, int? ServerPid, string Label, int Warmup,
    string? UsersFile, bool UserSocket, int Users, int RoomsPerUser)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var pid = Get("server-pid", "");
        return new Options(Get("url", "http://127.0.0.1:8000"), int.Parse(Get("rooms", "10"), CultureInfo.InvariantCulture),
            int.Parse(Get("members", "10"), CultureInfo.InvariantCulture), int.Parse(Get("rate", "500"), CultureInfo.InvariantCulture),
            int.Parse(Get("seconds", "20"), CultureInfo.InvariantCulture), int.Parse(Get("idle", "0"), CultureInfo.InvariantCulture),
            pid.Length > 0 ? int.Parse(pid, CultureInfo.InvariantCulture) : null, Get("label", ""),
            int.Parse(Get("warmup", "5"), CultureInfo.InvariantCulture), Get("users-file", "") is { Length: > 0 } f ? f : null,
            args.Contains("--user-socket"), int.Parse(Get("users", "1000"), CultureInfo.InvariantCulture),
            int.Parse(Get("rooms-per-user", "10"), CultureInfo.InvariantCulture));
    }
}

internal sealed record BenchUser(int Id, string Token);

internal sealed class Api(HttpClient http)
{
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    private int _counter;

    public async Task<BenchUser> CreateUserAsync()
    {
        var name = $"bench{RunId}_{Interlocked.Increment(ref _counter)}";
        const string password = "bench-password-123";
        (await http.PostAsJsonAsync("/api/auth/register/", new { username = name, email = name + "@bench.local", password })).EnsureSuccessStatusCode();
        var tokens = await (await http.PostAsJsonAsync("/api/auth/token/", new { username = name, password })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>();
        var token = (string)tokens!["access"]!;
        var me = await SendAsync<JsonObject>(HttpMethod.Get, "/api/auth/me/", token, null);
        return new BenchUser((int)me["id"]!, token);
    }

    public async Task<int> CreateProjectAsync(BenchUser owner, IEnumerable<BenchUser> members)
    {
        var key = "B" + RunId[..6].ToUpperInvariant().Replace('-', 'X');
        key = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : 'X').ToArray()) + Random.Shared.Next(100, 999);
        var project = await SendAsync<JsonObject>(HttpMethod.Post, "/api/projects/", owner.Token, new { key, name = "Bench " + key });
        var id = (int)project["id"]!;
        await Parallel.ForEachAsync(members.Where(m => m.Id != owner.Id), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, _) =>
            await SendAsync<JsonObject>(HttpMethod.Post, $"/api/projects/{id}/members/", owner.Token, new { user_id = m.Id, role = "member" }));
        return id;
    }

    public async Task<int> CreateRoomAsync(BenchUser creator, int project, IEnumerable<BenchUser> participants)
    {
        // A room is created with at most 500 participants; the rest join one by one.
        var others = participants.Where(p => p.Id != creator.Id).Select(p => p.Id).ToArray();
        var room = await SendAsync<JsonObject>(HttpMethod.Post, "/api/chat/rooms/", creator.Token,
            new { name = "bench", type = "group", project, participant_ids = others.Take(400).ToArray() });
        var id = (int)room["id"]!;
        await Parallel.ForEachAsync(others.Skip(400), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (userId, _) =>
            await SendAsync<JsonObject>(HttpMethod.Post, $"/api/chat/rooms/{id}/add_participant/", creator.Token, new { user_id = userId }));
        return id;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string url, string token, object? body)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public Uri UserSocketUri(string token) =>
        new UriBuilder(http.BaseAddress!) { Scheme = "ws", Path = "/ws/", Query = "token=" + Uri.EscapeDataString(token) }.Uri;

    public Uri SocketUri(int room, string token)
    {
        var b = new UriBuilder(http.BaseAddress!) { Scheme = "ws", Path = $"/ws/chat/{room}/", Query = "token=" + Uri.EscapeDataString(token) };
        return b.Uri;
    }
}

internal static class LoadRun
{
    public static async Task RunAsync(Api api, Options o)
    {
        var shape = o.UserSocket
            ? $"user sockets: {o.Users} users, each in {o.RoomsPerUser} of {o.Rooms} rooms ({o.Users * o.RoomsPerUser / o.Rooms} members a room), one /ws/ socket each"
            : $"{o.Rooms} rooms x {o.Members} members, one /ws/chat/ socket per member and room";
        Console.WriteLine($"shape: {shape}, {o.Rate} messages/s for {o.Warmup} s of warm-up, then {o.Seconds} s measured {o.Label}");
        var setup = Stopwatch.StartNew();
        // One pool of users; each room takes its members from it (users are expensive: password hashing).
        var userCount = o.UserSocket ? o.Users : o.Members;
        var users = await UsersAsync(api, userCount, o.UsersFile);
        var project = await api.CreateProjectAsync(users[0], users);
        // Per-room shape: every user in every room. User-socket shape: user i is in the rooms
        // (i * k + j) mod R for j < k, which gives every room the same number of members.
        var membersOf = Enumerable.Range(0, o.Rooms).Select(r => o.UserSocket
            ? users.Where((_, i) => Enumerable.Range(0, o.RoomsPerUser).Any(j => (i * o.RoomsPerUser + j) % o.Rooms == r)).ToArray()
            : users).ToArray();
        var rooms = new int[o.Rooms];
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Rooms), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (r, _) =>
            rooms[r] = await api.CreateRoomAsync(users[0], project, membersOf[r].Prepend(users[0]).Distinct()));
        var roomSize = rooms.Select((id, r) => (id, size: membersOf[r].Prepend(users[0]).Distinct().Count())).ToDictionary(x => x.id, x => x.size);
        Console.WriteLine($"setup: {userCount} users, {o.Rooms} rooms in {setup.Elapsed.TotalSeconds:0.0} s");

        var received = 0L;
        var connections = new List<Connection>();
        var rssBefore = o.ServerPid is int p0 ? Proc.RssMb(p0) : 0;
        var connectWatch = Stopwatch.StartNew();
        var sem = new SemaphoreSlim(64);
        var tasks = new List<Task<Connection>>();
        async Task<Connection> Open(Func<Task<Connection>> open)
        {
            await sem.WaitAsync();
            try
            {
                return await open();
            }
            finally
            {
                sem.Release();
            }
        }
        if (o.UserSocket)
        {
            foreach (var user in users)
            {
                tasks.Add(Task.Run(() => Open(() => Connection.OpenUserAsync(api.UserSocketUri(user.Token), user.Id))));
            }
        }
        else
        {
            foreach (var room in rooms)
            {
                foreach (var user in users)
                {
                    tasks.Add(Task.Run(() => Open(() => Connection.OpenAsync(api.SocketUri(room, user.Token), room, user.Id))));
                }
            }
        }
        connections.AddRange(await Task.WhenAll(tasks));
        var connectSeconds = connectWatch.Elapsed.TotalSeconds;
        Console.WriteLine($"connect: {connections.Count} sockets in {connectSeconds:0.00} s = {connections.Count / connectSeconds:0} connections/s");
        // Presence and room frames of the connecting storm settle before memory is read.
        await Task.Delay(3000);
        var memoryPerUser = o.ServerPid is int p1 ? (Proc.RssMb(p1) - rssBefore) * 1024 / userCount : double.NaN;

        var origin = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var readers = connections.Select(c => c.ReadAsync(origin, stop.Token)).ToList();

        // Senders: one socket per room, a different member for each room; messages go round-robin over rooms.
        var byUser = connections.ToLookup(c => c.UserId);
        var senders = o.UserSocket
            ? rooms.Select((room, r) => (Socket: byUser[membersOf[r][r % membersOf[r].Length].Id].First(), Room: room)).ToArray()
            : connections.GroupBy(c => c.RoomId).Select((g, i) => (Socket: g.ElementAt(i % g.Count()), Room: g.Key)).ToArray();
        // Warm-up sends (JIT, query compilation, pools) are delivered and checked for loss like the
        // others, but their latency is not counted.
        var total = o.Rate * (o.Warmup + o.Seconds);
        var interval = Stopwatch.Frequency / (double)o.Rate;
        var cpuBefore = Proc.CpuTicks(o.ServerPid);
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var runWatch = Stopwatch.StartNew();
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        Connection.MeasureFrom = start - origin + o.Warmup * Stopwatch.Frequency;
        var sent = 0;
        var expected = 0L;
        var sendErrors = 0;
        var lateness = new List<long>(total);
        // The pacing loop runs on its own thread: Task.Delay rides the timer queue and the thread pool
        // and woke up to several milliseconds late under load. Sleeping for most of the wait leaves
        // the shared cores to the server, and a late wake-up still counts against the latency.
        var pacer = new Thread(() =>
        {
            for (var i = 0; i < total; i++)
            {
                var intended = start + (long)(i * interval);
                // Thread.Sleep counts whole milliseconds: sleep the whole ones, yield through the rest,
                // and never send before the intended time.
                var waitMs = (intended - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (waitMs >= 1)
                {
                    Thread.Sleep((int)waitMs);
                }
                while (Stopwatch.GetTimestamp() < intended)
                {
                    Thread.Yield();
                }
                lateness.Add(Stopwatch.GetTimestamp() - intended);
                var (sender, room) = senders[i % senders.Length];
                // The intended time travels inside the message, relative to this run's origin.
                var content = (intended - origin).ToString(CultureInfo.InvariantCulture);
                expected += roomSize[room];
                if (!sender.TrySend(content, o.UserSocket ? room : null))
                {
                    sendErrors++;
                }
                sent++;
            }
        }) { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
        pacer.Start();
        pacer.Join();
        var sendSeconds = runWatch.Elapsed.TotalSeconds;
        // Give deliveries in flight time to land.
        var drainDeadline = DateTime.UtcNow.AddSeconds(10);
        while (connections.Sum(c => c.Received) < expected && DateTime.UtcNow < drainDeadline)
        {
            await Task.Delay(50);
        }
        var cpuAfter = Proc.CpuTicks(o.ServerPid);
        stop.Cancel();
        foreach (var c in connections)
        {
            c.Abort();
        }
        await Task.WhenAll(readers);

        received = connections.Sum(c => c.Received);
        var all = connections.SelectMany(c => c.Latencies).ToArray();
        Array.Sort(all);
        double Pct(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p / 100 * all.Length))] * 1000.0 / Stopwatch.Frequency;
        var errors = connections.Sum(c => c.Errors);
        Console.WriteLine($"sent: {sent} messages in {sendSeconds:0.0} s ({sent / sendSeconds:0} msg/s), send errors {sendErrors}, error frames {errors}");
        Console.WriteLine($"deliveries: {received} of {expected} ({(double)received / expected:P3}) = {received / sendSeconds:0} deliveries/s");
        lateness.Sort();
        Console.WriteLine($"sender wake-up lateness ms (included in the latency): p50 {lateness[lateness.Count / 2] * 1000.0 / Stopwatch.Frequency:0.00}  " +
            $"p99 {lateness[(int)(lateness.Count * 0.99)] * 1000.0 / Stopwatch.Frequency:0.00}");
        Console.WriteLine($"latency ms: p50 {Pct(50):0.00}  p90 {Pct(90):0.00}  p99 {Pct(99):0.00}  p99.9 {Pct(99.9):0.00}  max {Pct(100):0.00}");
        var seconds = (int)Math.Ceiling(sendSeconds) + 1;
        var worst = Enumerable.Range(0, Math.Min(seconds, 3600))
            .Select(sec => connections.Max(c => c.WorstBySecond[sec]) * 1000.0 / Stopwatch.Frequency);
        Console.WriteLine($"worst latency by second of the run, ms: {string.Join(" ", worst.Select(w => w.ToString("0", CultureInfo.InvariantCulture)))}");
        if (o.ServerPid is int pid)
        {
            var cpuSeconds = (cpuAfter - cpuBefore) / 100.0;
            var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds;
            Console.WriteLine($"server: cpu {cpuSeconds / runWatch.Elapsed.TotalSeconds * 100:0}% of one core, peak rss {Proc.PeakRssMb(pid):0} MB; " +
                $"this generator: cpu {ownCpu / runWatch.Elapsed.TotalSeconds * 100:0}%");
            Console.WriteLine($"summary: {(o.UserSocket ? "user-socket" : "per-room")} {o.Rooms}r {userCount}u {connections.Count}s @{o.Rate} | " +
                $"deliveries/s {received / sendSeconds:0} | p99 ms {Pct(99):0.0} | server cpu us/delivery {cpuSeconds * 1e6 / Math.Max(1, received):0.0} | " +
                $"server memory KB/connected user {memoryPerUser:0.0} | delivered {(double)received / expected:P2}");
        }
        Console.WriteLine(received == expected
            ? "result: valid (every delivery arrived)"
            : "result: INVALID (deliveries missing 10 s after the last send: the server fell behind or lost them)");
        Environment.ExitCode = received == expected ? 0 : 1;
    }

    /// <summary>
    /// The first <paramref name="count"/> users of the users file, creating (and adding) what is missing:
    /// users cost two password hashes each, so the shapes of one bench run share them.
    /// </summary>
    private static async Task<BenchUser[]> UsersAsync(Api api, int count, string? file)
    {
        var known = file is not null && File.Exists(file)
            ? File.ReadAllLines(file).Select(l => l.Split('\t')).Select(f => new BenchUser(int.Parse(f[0], CultureInfo.InvariantCulture), f[1])).ToList()
            : [];
        var missing = Math.Max(0, count - known.Count);
        var created = new BenchUser[missing];
        await Parallel.ForEachAsync(Enumerable.Range(0, missing), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            created[i] = await api.CreateUserAsync());
        if (file is not null && missing > 0)
        {
            await File.AppendAllLinesAsync(file, created.Select(u => $"{u.Id}\t{u.Token}"));
        }
        return known.Concat(created).Take(count).ToArray();
    }
}

internal static class IdleRun
{
    public static async Task RunAsync(Api api, Options o)
    {
        if (o.ServerPid is not int pid)
        {
            throw new ArgumentException("--idle needs --server-pid to measure memory");
        }
        var user = await api.CreateUserAsync();
        var project = await api.CreateProjectAsync(user, []);
        var room = await api.CreateRoomAsync(user, project, []);
        GC.Collect();
        await Task.Delay(2000);
        var before = Proc.RssMb(pid);
        var watch = Stopwatch.StartNew();
        var sockets = new ConcurrentBag<ClientWebSocket>();
        // Spread across loopback source addresses: one address has ~28,000 ephemeral ports.
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Idle), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(api.SocketUri(room, user.Token), ct);
            sockets.Add(socket);
        });
        var connectSeconds = watch.Elapsed.TotalSeconds;
        await Task.Delay(5000);
        var after = Proc.RssMb(pid);
        Console.WriteLine($"idle: {sockets.Count} sockets open in {connectSeconds:0.0} s ({sockets.Count / connectSeconds:0} connections/s)");
        Console.WriteLine($"server rss: {before:0} MB before, {after:0} MB with the sockets: {(after - before) * 1024 * 1024 / sockets.Count / 1024:0.0} KB per idle connection");
        if (Environment.GetEnvironmentVariable("BENCH_IDLE_HOLD") is { Length: > 0 } hold)
        {
            // For inspecting the server with the sockets open (dotnet-gcdump, dotnet-counters).
            await Task.Delay(TimeSpan.FromSeconds(int.Parse(hold, CultureInfo.InvariantCulture)));
        }
        foreach (var s in sockets)
        {
            s.Abort();
        }
    }
}

internal sealed class Connection
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private static long _sequence;
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    public readonly List<long> Latencies = new(4096);
    /// <summary>The worst latency of the messages meant to be sent in each second of the run.</summary>
    public readonly long[] WorstBySecond = new long[3600];
    /// <summary>Messages meant to be sent before this (relative to the run's origin) are warm-up: not timed.</summary>
    public static long MeasureFrom;
    public long Received;
    public long Errors;

    private Connection(ClientWebSocket socket, int roomId, int userId)
    {
        _socket = socket;
        RoomId = roomId;
        UserId = userId;
    }

    public int RoomId { get; }
    public int UserId { get; }

    /// <summary>A user socket: waits for its hello (which comes once every room of the user is live).</summary>
    public static async Task<Connection> OpenUserAsync(Uri uri, int userId)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(uri, CancellationToken.None);
        var buffer = new byte[4096];
        var hello = await socket.ReceiveAsync(buffer, CancellationToken.None);
        if (hello.MessageType != WebSocketMessageType.Text || buffer.AsSpan(0, hello.Count).IndexOf("\"hello\""u8) < 0)
        {
            throw new InvalidOperationException("the user socket did not say hello first");
        }
        var connection = new Connection(socket, 0, userId);
        // The server closes a user socket that stays silent for twice heartbeat_seconds (30 s).
        _ = Task.Run(async () =>
        {
            var ping = "{\"type\":\"ping\"}"u8.ToArray();
            while (socket.State == WebSocketState.Open)
            {
                await Task.Delay(TimeSpan.FromSeconds(20));
                await connection.SendCoreAsync(ping);
            }
        });
        return connection;
    }

    public static async Task<Connection> OpenAsync(Uri uri, int roomId, int userId)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new Connection(socket, roomId, userId);
    }

    public bool TrySend(string content, int? roomId = null)
    {
        // client_id is unique per sender across the whole run: a repeat would be (rightly) deduplicated.
        var id = Interlocked.Increment(ref _sequence);
        var room = roomId is null ? "" : $"\"room_id\":{roomId},";
        var frame = Encoding.UTF8.GetBytes($"{{\"type\":\"message_send\",{room}\"content\":\"{content}\",\"message_type\":\"text\",\"client_id\":\"{RunId}-{id}\"}}");
        _ = SendCoreAsync(frame);
        return _socket.State == WebSocketState.Open;
    }

    internal async Task SendCoreAsync(byte[] frame)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            Interlocked.Increment(ref Errors);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task ReadAsync(long origin, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await SocketFrames.ReceiveAsync(_socket, buffer) is not { } length)
                {
                    return;
                }
                var now = Stopwatch.GetTimestamp();
                var span = buffer.AsSpan(0, length);
                if (span.IndexOf("\"message_new\""u8) >= 0)
                {
                    // The content is the intended send time; find it without a full parse.
                    var marker = "\"content\":\""u8;
                    var at = span.IndexOf(marker);
                    if (at >= 0)
                    {
                        var rest = span[(at + marker.Length)..];
                        var end = rest.IndexOf((byte)'"');
                        if (System.Buffers.Text.Utf8Parser.TryParse(rest[..end], out long intended, out var consumed) && consumed == end)
                        {
                            var latency = now - origin - intended;
                            if (intended >= MeasureFrom)
                            {
                                Latencies.Add(latency);
                            }
                            var second = (int)Math.Clamp(intended / Stopwatch.Frequency, 0, WorstBySecond.Length - 1);
                            WorstBySecond[second] = Math.Max(WorstBySecond[second], latency);
                            Received++;
                        }
                    }
                }
                else if (span.IndexOf("\"error\""u8) >= 0)
                {
                    Interlocked.Increment(ref Errors);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted at the end of the run.
        }
    }

    public void Abort() => _socket.Abort();
}
