using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
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
    private readonly InstanceCluster _cluster = new();

    private KestrelApp Start(params (string Key, string Value)[] extra) => _cluster.Start(extra);

    private static HttpClient ClientWith(KestrelApp app, string access)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return client;
    }

    private static long SessionIdOf(string access) =>
        long.Parse(new JsonWebToken(access).GetClaim("sid").Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Completes with the wall-clock time at which <paramref name="app"/> learned that the session ended.</summary>
    private static Task<DateTime> LearnedAsync(KestrelApp app, long sessionId)
    {
        var learned = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<ISessionRevocations>().Ended += e =>
        {
            if (e.SessionId == sessionId)
            {
                learned.TrySetResult(DateTime.UtcNow);
            }
        };
        return learned.Task;
    }

    private static async Task<DateTime> EndedAtAsync(KestrelApp app, long sessionId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Sessions.SingleAsync(s => s.Id == sessionId)).EndedAt!.Value;
    }

    // Measured from the end itself (its ended_at, taken just before it is committed) to the moment
    // the other instance knows, so the test does not also time HTTP requests on a busy machine.
    [Fact]
    public async Task ASessionEndedOnOneInstance_IsRefusedOnTheOther_WithinOneSecond()
    {
        var a = Start();
        var b = Start();
        var user = await a.CreateUserAsync("cluster");
        var onB = ClientWith(b, user.Access);
        await (await onB.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        var sessionId = SessionIdOf(user.Access);
        var learnedOnB = LearnedAsync(b, sessionId);

        await (await user.Client.PostAsync("/api/auth/logout/", null)).EnsureStatusAsync(204);

        var learned = await learnedOnB.WaitAsync(TimeSpan.FromSeconds(10));
        var delay = learned - await EndedAtAsync(a, sessionId);
        Assert.True(delay < TimeSpan.FromSeconds(1), $"instance B learned of the end after {delay.TotalMilliseconds} ms");
        await (await onB.GetAsync("/api/auth/me/")).ProblemAsync(401);
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
        var sessionId = SessionIdOf(user.Access);
        var learnedOnB = LearnedAsync(b, sessionId);

        _cluster.Redis.Stop();
        await (await user.Client.PostAsync("/api/auth/logout_all/", null)).EnsureStatusAsync(204);

        // No pub/sub message can arrive: B learns of the end from its poll of the database.
        var learned = await learnedOnB.WaitAsync(TimeSpan.FromSeconds(10));
        var delay = learned - await EndedAtAsync(a, sessionId);
        Assert.True(delay < TimeSpan.FromSeconds(1), $"instance B learned of the end after {delay.TotalMilliseconds} ms");
        await (await onB.GetAsync("/api/auth/me/")).ProblemAsync(401);
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

    public void Dispose() => _cluster.Dispose();
}
