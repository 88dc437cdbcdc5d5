using Switchboard.Data;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;

namespace Switchboard.Tests.Features.Calls;

/// <summary>Two instances sharing PostgreSQL and Redis: calls and their signalling work whichever instance each person is on.</summary>
public sealed class CallsClusterTests : IDisposable
{
    private readonly OwnRedis _redis = new();
    private readonly KestrelApp _a;
    private readonly KestrelApp _b;

    public CallsClusterTests()
    {
        _redis.Start();
        var settings = new Dictionary<string, string?>(CallsApp.Settings)
        {
            ["ConnectionStrings:Database"] = TestDatabases.CreatePostgresDatabase(),
            ["Redis:Configuration"] = _redis.Configuration,
            ["Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
        };
        _a = new KestrelApp(DatabaseProvider.Postgres, settings);
        _b = new KestrelApp(DatabaseProvider.Postgres, settings);
    }

    [Fact]
    public async Task ACallStartedOnOneInstance_RingsAndSignalsPeopleOnTheOther()
    {
        var c = await CallKit.CastAsync(_a);
        var (aliceOnA, _) = await UserSocketExtensions.OpenAsync(_a, c.Alice.Access);
        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, c.Bob.Access);
        using var _x = aliceOnA;
        using var _y = bobOnB;

        var callId = await c.Alice.StartCallIdAsync(c.DirectRoom);
        await bobOnB.ReceiveWhereAsync("call_ringing", f => (int?)f["call"]!["id"] == callId);
        var bobClientOnB = _b.CreateClient();
        bobClientOnB.DefaultRequestHeaders.Authorization = new("Bearer", c.Bob.Access);
        (await bobClientOnB.PostAsync($"/api/chat/calls/{callId}/join/", null)).EnsureSuccessStatusCode();
        await aliceOnA.ReceiveWhereAsync("call_joined", f => (int?)f["user_id"] == c.Bob.Id);

        await aliceOnA.SendAsync(new { type = "call_offer", call_id = callId, to_user_id = c.Bob.Id, sdp = "from A" });
        var offer = await bobOnB.ReceiveWhereAsync("call_offer", _ => true);
        Assert.Equal(c.Alice.Id, (int?)offer["from_user_id"]);
        await bobOnB.SendAsync(new { type = "call_answer", call_id = callId, to_user_id = c.Alice.Id, sdp = "from B" });
        Assert.Equal("from B", (string?)(await aliceOnA.ReceiveWhereAsync("call_answer", _ => true))["sdp"]);
    }

    [Fact]
    public async Task AnUnansweredCall_IsEndedByExactlyOneInstance()
    {
        var c = await CallKit.CastAsync(_a);
        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, c.Bob.Access);
        using var _y = bobOnB;
        var callIds = new List<int>();
        // Several calls expiring at once, both instances sweeping every 0.2 s.
        callIds.Add(await c.Alice.StartCallIdAsync(c.GroupRoom));
        callIds.Add(await c.Alice.StartCallIdAsync(c.DirectRoom));
        foreach (var id in callIds)
        {
            await CallKit.ExpireRingAsync(_a, id);
        }
        foreach (var id in callIds)
        {
            await bobOnB.ReceiveWhereAsync("call_ended", f => (int?)f["call"]!["id"] == id);
        }
        await Task.Delay(1000);

        var notifications = await (await c.Bob.Client.GetAsync("/api/notifications/")).JsonAsync(200);
        Assert.Equal(2, notifications["results"]!.AsArray().Count(n => (string?)n!["type"] == "call_missed"));
        foreach (var room in new[] { c.GroupRoom, c.DirectRoom })
        {
            var messages = await (await c.Bob.Client.GetAsync($"/api/chat/messages/?room={room}")).JsonAsync(200);
            Assert.Single(messages["results"]!.AsArray(), m => (string?)m!["type"] == "system");
        }
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _redis.Dispose();
    }
}
