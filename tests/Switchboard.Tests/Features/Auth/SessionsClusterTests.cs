using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Switchboard.Data;
using Switchboard.Features.Auth;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Features.Auth;

/// <summary>
/// Sessions and limits across two instances sharing PostgreSQL and Redis: an end on one is honoured
/// by the other within a second (also while Redis is down), and the limits count on both together.
/// </summary>
public sealed class SessionsClusterTests : IDisposable
{
    private readonly OwnRedis _redis = new();
    private readonly List<KestrelApp> _apps = [];
    private readonly Dictionary<string, string?> _settings;

    public SessionsClusterTests()
    {
        _redis.Start();
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = TestDatabases.CreatePostgresDatabase(),
            ["Redis:Configuration"] = _redis.Configuration,
            ["Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
        };
    }

    private KestrelApp Start(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        var app = new KestrelApp(DatabaseProvider.Postgres, settings);
        _apps.Add(app);
        return app;
    }

    private static HttpClient ClientWith(KestrelApp app, string access)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return client;
    }

    /// <summary>How long until <paramref name="client"/>'s token is refused (asking every 20 ms), or null after 10 s.</summary>
    private static async Task<TimeSpan?> TimeUntilRefusedAsync(HttpClient client, Stopwatch since)
    {
        while (since.Elapsed < TimeSpan.FromSeconds(10))
        {
            var response = await client.GetAsync("/api/auth/me/");
            if ((int)response.StatusCode == 401)
            {
                return since.Elapsed;
            }
            await response.EnsureStatusAsync(200);
            await Task.Delay(20);
        }
        return null;
    }

    [Fact]
    public async Task ASessionEndedOnOneInstance_IsRefusedOnTheOther_WithinOneSecond()
    {
        var a = Start();
        var b = Start();
        var user = await a.CreateUserAsync("cluster");
        var onB = ClientWith(b, user.Access);
        await (await onB.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        var sessionId = long.Parse(new JsonWebToken(user.Access).GetClaim("sid").Value, System.Globalization.CultureInfo.InvariantCulture);
        var heardOnB = new TaskCompletionSource<SessionEnded>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Services.GetRequiredService<ISessionRevocations>().Ended += e =>
        {
            if (e.SessionId == sessionId)
            {
                heardOnB.TrySetResult(e);
            }
        };

        var clock = Stopwatch.StartNew();
        await (await user.Client.PostAsync("/api/auth/logout/", null)).EnsureStatusAsync(204);

        var refusedAfter = await TimeUntilRefusedAsync(onB, clock);
        Assert.True(refusedAfter < TimeSpan.FromSeconds(1), $"instance B accepted the ended session's token for {refusedAfter?.TotalMilliseconds ?? -1} ms");
        Assert.Equal(user.Id, (await heardOnB.Task.WaitAsync(TimeSpan.FromSeconds(1))).UserId);
        await (await b.CreateClient().PostAsJsonAsync("/api/auth/token/refresh/", new { refresh = user.Refresh })).ProblemAsync(401);
    }

    [Fact]
    public async Task WhileRedisIsDown_ASessionEndedOnOneInstance_IsStillRefusedOnTheOther_WithinOneSecond()
    {
        var a = Start();
        var b = Start();
        var user = await a.CreateUserAsync("outage");
        var onB = ClientWith(b, user.Access);
        await (await onB.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);

        _redis.Stop();
        var clock = Stopwatch.StartNew();
        await (await user.Client.PostAsync("/api/auth/logout_all/", null)).EnsureStatusAsync(204);

        // No pub/sub message can arrive: B learns of the end from its poll of the database.
        var refusedAfter = await TimeUntilRefusedAsync(onB, clock);
        Assert.True(refusedAfter < TimeSpan.FromSeconds(1), $"instance B accepted the ended session's token for {refusedAfter?.TotalMilliseconds ?? -1} ms");
    }

    [Fact]
    public async Task AnInstanceStartedAfterTheEnd_RefusesTheToken()
    {
        var a = Start(("Sessions:RevocationPollMilliseconds", "0"));
        var user = await a.CreateUserAsync("late");
        await (await user.Client.PostAsync("/api/auth/logout/", null)).EnsureStatusAsync(204);

        // Polling off, and the Redis message long gone: only the start-up load can know.
        var c = Start(("Sessions:RevocationPollMilliseconds", "0"));
        await (await ClientWith(c, user.Access).GetAsync("/api/auth/me/")).ProblemAsync(401);
    }

    [Fact]
    public async Task LoginThrottle_CountsAttemptsOnBothInstancesTogether()
    {
        var limits = new[] { ("RateLimits:AuthPermitLimit", "3"), ("RateLimits:AuthWindowSeconds", "300") };
        var a = Start(limits);
        var b = Start(limits);
        var username = a.Unique("target");
        await (await a.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username, password = "wrong password" })).ProblemAsync(401);
        await (await b.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username, password = "wrong password" })).ProblemAsync(401);
        await (await a.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username, password = "wrong password" })).ProblemAsync(401);

        var limited = await b.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username, password = "wrong password" });
        await limited.ProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task ChatSendLimit_CountsRestAndSocketSendsOnBothInstancesTogether()
    {
        var limits = new[] { ("RateLimits:ChatBurst", "2"), ("RateLimits:ChatPerSecond", "0.01") };
        var a = Start(limits);
        var b = Start(limits);
        var scene = await SceneAsync(a);
        var aliceOnB = ClientWith(b, scene.Alice.Access);

        await scene.Alice.SendRestAsync(scene.RoomId, "one on A");
        await (await aliceOnB.PostAsJsonAsync("/api/chat/messages/", new { room = scene.RoomId, content = "two on B", type = "text" })).EnsureStatusAsync(201);

        var limited = await scene.Alice.Client.PostAsJsonAsync("/api/chat/messages/", new { room = scene.RoomId, content = "three on A", type = "text" });
        var problem = await limited.ProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 must say when to retry");
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));

        using var socketOnB = await ConnectAsync(b, scene.RoomId, scene.Alice.Access);
        await socketOnB.SendAsync(new { type = "message_send", content = "four over the socket", client_id = "s-4" });
        var error = await socketOnB.ReceiveTypeAsync("error");
        Assert.Equal("rate_limited", (string)error["code"]!);
        Assert.Equal("s-4", (string)error["client_id"]!);

        var history = await (await scene.Bob.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}")).JsonAsync(200);
        Assert.Equal(2, (int)history["count"]!);
    }

    [Fact]
    public async Task SessionsList_ShowsTheClientAddress()
    {
        var a = Start();
        var user = await a.CreateUserAsync("addr");
        var page = await (await user.Client.GetAsync("/api/auth/sessions/")).JsonAsync(200);
        Assert.Equal("127.0.0.1", (string)page["results"]![0]!["ip"]!);
    }

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }
        _redis.Dispose();
    }
}
