using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using Switchboard.Data;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Realtime;

/// <summary>A redis-server of this test's own, so that it can be stopped and started again mid-test.</summary>
public sealed class OwnRedis : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchboard-redis").FullName;
    private Process? _process;

    public int Port { get; } = FreePort();

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --dir {_dir}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException("redis-server did not open its port");
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Two server instances sharing one PostgreSQL database and one Redis, as behind a load balancer.</summary>
public sealed class ClusterTests : IDisposable
{
    private readonly OwnRedis _redis = new();
    private readonly KestrelApp _a;
    private readonly KestrelApp _b;

    public ClusterTests()
    {
        _redis.Start();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = TestDatabases.CreatePostgresDatabase(),
            ["Redis:Configuration"] = _redis.Configuration,
            ["Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["Presence:AwayAfterSeconds"] = "60",
            ["Presence:OfflineAfterSeconds"] = "1",
            ["Presence:TickSeconds"] = "0.1",
        };
        _a = new KestrelApp(DatabaseProvider.Postgres, settings);
        _b = new KestrelApp(DatabaseProvider.Postgres, settings);
    }

    [Fact]
    public async Task AMessageSentOnOneInstance_ReachesSocketsOnTheOther()
    {
        var scene = await SceneAsync(_a);
        using var bobOnB = await ConnectAsync(_b, scene.RoomId, scene.Bob.Access);
        using var aliceOnA = await ConnectAsync(_a, scene.RoomId, scene.Alice.Access);

        await scene.Alice.SendRestAsync(scene.RoomId, "across instances", "x-1");
        var frame = await bobOnB.ReceiveTypeAsync("message_new");
        Assert.Equal("across instances", (string)frame["message"]!["content"]!);
        Assert.Equal("x-1", (string)frame["client_id"]!);

        await bobOnB.SendAsync(new { type = "message_send", content = "and back", client_id = "x-2" });
        await aliceOnA.ReceiveMessageAsync("and back");

        await bobOnB.SendAsync(new { type = "typing", is_typing = true });
        Assert.Equal(scene.Bob.Id, (int)(await aliceOnA.ReceiveTypeAsync("user_typing"))["user_id"]!);
    }

    [Fact]
    public async Task UserSocketOnTheOtherInstance_GetsRoomMessagesRoomAddedAndTopicFrames()
    {
        var scene = await SceneAsync(_a);
        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, scene.Bob.Access);
        using var __ = bobOnB;

        await scene.Alice.SendRestAsync(scene.RoomId, "to the user socket on B");
        await bobOnB.ReceiveMessageInAsync(scene.RoomId, "to the user socket on B");

        // Added on A: B's socket takes the new room on and hears it.
        var room = await Features.Chat.ChatKit.CreateRoomAsync(scene.Alice, scene.ProjectId, "Made on A", scene.Bob.Id);
        await bobOnB.ReceiveWhereAsync("room_added", f => (int)f["room"]!["id"]! == room);
        await scene.Alice.SendRestAsync(room, "in the new room");
        await bobOnB.ReceiveMessageInAsync(room, "in the new room");

        await bobOnB.SendAsync(new { type = "subscribe", topics = new[] { $"project:{scene.ProjectId}" } });
        await bobOnB.ReceiveTypeAsync("subscribed");
        await (await scene.Alice.Client.PostAsJsonAsync("/api/tickets/", new { project = scene.ProjectId, title = "Made on A" })).EnsureStatusAsync(201);
        Assert.Equal("Made on A", (string)(await bobOnB.ReceiveTypeAsync("ticket_created"))["ticket"]!["title"]!);

        // Removed on A: the room stops on B at once.
        await (await scene.Alice.Client.PostAsJsonAsync($"/api/chat/rooms/{room}/remove_participant/", new { user_id = scene.Bob.Id }))
            .EnsureStatusAsync(204);
        await bobOnB.ReceiveWhereAsync("room_removed", f => (int)f["room_id"]! == room);
    }

    [Fact]
    public async Task Presence_IsClusterWide_OnlineOnOneInstanceIsOnlineOnBoth()
    {
        var scene = await SceneAsync(_a);
        var (aliceOnA, _) = await UserSocketExtensions.OpenAsync(_a, scene.Alice.Access);
        using var __ = aliceOnA;

        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, scene.Bob.Access);
        await aliceOnA.ReceiveWhereAsync("presence_changed", f => (int)f["user_id"]! == scene.Bob.Id && (string)f["status"]! == "online");
        foreach (var app in new[] { _a, _b })
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", scene.Alice.Access);
            var list = await (await client.GetAsync($"/api/users/presence/?ids={scene.Bob.Id},{scene.Alice.Id}")).JsonAsync(200);
            Assert.All(list["results"]!.AsArray(), r => Assert.Equal("online", (string)r!["status"]!));
        }

        bobOnB.Dispose();
        await aliceOnA.ReceiveWhereAsync("presence_changed", f => (int)f["user_id"]! == scene.Bob.Id && (string)f["status"]! == "offline");
    }

    [Fact]
    public async Task RedisOutage_LosesNoStoredMessage_AndFanOutResumes()
    {
        var scene = await SceneAsync(_a);
        using var bobOnB = await ConnectAsync(_b, scene.RoomId, scene.Bob.Access);
        using var aliceOnA = await ConnectAsync(_a, scene.RoomId, scene.Alice.Access);
        var before = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "before the outage"))["id"]!;
        await bobOnB.ReceiveTypeAsync("message_new");

        _redis.Stop();
        var during = await scene.Alice.SendRestAsync(scene.RoomId, "during the outage");
        // The instance that took the change still tells its own sockets.
        await aliceOnA.ReceiveMessageAsync("during the outage");
        var ready = await _a.CreateClient().GetAsync("/health/ready");
        Assert.Equal(503, (int)ready.StatusCode);

        _redis.Start();
        await WaitUntilReadyAsync(_a);
        await WaitUntilReadyAsync(_b);

        // Nothing stored was lost: a client catching up with ?after= gets the message it missed.
        var catchUp = await (await scene.Bob.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}&after={before}")).JsonAsync(200);
        Assert.Contains(catchUp["results"]!.AsArray(), m => (int)m!["id"]! == (int)during["id"]!);

        // Fan-out resumed by itself (the subscription comes back with the connection).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var resumed = false;
        var attempt = 0;
        while (!resumed && DateTime.UtcNow < deadline)
        {
            var content = $"after the outage {attempt++}";
            await scene.Alice.SendRestAsync(scene.RoomId, content);
            try
            {
                while (true)
                {
                    var frame = await bobOnB.ReceiveAsync(TimeSpan.FromSeconds(2));
                    if ((string?)frame?["type"] == "message_new" && ((string)frame!["message"]!["content"]!).StartsWith("after the outage", StringComparison.Ordinal))
                    {
                        resumed = true;
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Not yet resubscribed; try again.
            }
        }
        Assert.True(resumed, "fan-out through Redis did not resume after Redis came back");
    }

    private static async Task WaitUntilReadyAsync(KestrelApp app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await app.CreateClient().GetAsync("/health/ready")).IsSuccessStatusCode)
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException("the instance did not become ready again");
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _redis.Dispose();
    }
}
