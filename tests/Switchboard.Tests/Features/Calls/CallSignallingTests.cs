using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;

namespace Switchboard.Tests.Features.Calls;

public sealed class CallSignallingTestsOnSqlite(SqliteCallsApp app) : CallSignallingTests(app), IClassFixture<SqliteCallsApp>;

public sealed class CallSignallingTestsOnPostgres(PostgresCallsApp app) : CallSignallingTests(app), IClassFixture<PostgresCallsApp>;

/// <summary>Offer, answer and ICE frames go only from one person in a call to another, and are checked on the way.</summary>
public abstract class CallSignallingTests(CallsApp app)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task OfferAnswerAndIce_AreRelayedBetweenJoinedParticipants_WithTheSender()
    {
        var c = await CallKit.CastAsync(app);
        var (alice, _) = await UserSocketExtensions.OpenAsync(app, c.Alice.Access);
        var (bob, _) = await UserSocketExtensions.OpenAsync(app, c.Bob.Access);
        using var _a = alice;
        using var _b = bob;
        var callId = await c.Alice.StartCallIdAsync(c.GroupRoom);
        await c.Bob.CallActionAsync(callId, "join").JsonAsyncTask(200);

        await bob.SendAsync(new { type = "call_offer", call_id = callId, to_user_id = c.Alice.Id, sdp = "v=0 offer" });
        var offer = await alice.ReceiveWhereAsync("call_offer", _ => true);
        Assert.Equal(callId, (int?)offer["call_id"]);
        Assert.Equal(c.Bob.Id, (int?)offer["from_user_id"]);
        Assert.Equal("v=0 offer", (string?)offer["sdp"]);
        Assert.False(offer.ContainsKey("to_user_id"));

        await alice.SendAsync(new { type = "call_answer", call_id = callId, to_user_id = c.Bob.Id, sdp = "v=0 answer" });
        Assert.Equal("v=0 answer", (string?)(await bob.ReceiveWhereAsync("call_answer", _ => true))["sdp"]);

        await alice.SendAsync(new
        {
            type = "call_ice", call_id = callId, to_user_id = c.Bob.Id,
            candidate = new { candidate = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdp_mid = "0", sdp_m_line_index = 0 },
        });
        var ice = await bob.ReceiveWhereAsync("call_ice", _ => true);
        Assert.Equal("0", (string?)ice["candidate"]!["sdp_mid"]);
        Assert.Equal(0, (int?)ice["candidate"]!["sdp_m_line_index"]);
        Assert.StartsWith("candidate:1", (string?)ice["candidate"]!["candidate"]);
    }

    [Fact]
    public async Task SignallingFromOrToSomeoneNotInTheCall_IsRefused_AndReachesNobody()
    {
        var c = await CallKit.CastAsync(app);
        var (alice, _) = await UserSocketExtensions.OpenAsync(app, c.Alice.Access);
        var (bob, _) = await UserSocketExtensions.OpenAsync(app, c.Bob.Access);
        var (carol, _) = await UserSocketExtensions.OpenAsync(app, c.Carol.Access);
        var (outsider, _) = await UserSocketExtensions.OpenAsync(app, c.Outsider.Access);
        using var _a = alice;
        using var _b = bob;
        using var _c = carol;
        using var _o = outsider;
        var callId = await c.Alice.StartCallIdAsync(c.GroupRoom);
        await c.Bob.CallActionAsync(callId, "join").JsonAsyncTask(200);
        // Carol is only being rung: she neither sends nor receives signalling until she answers.
        await carol.ReceiveWhereAsync("call_joined", _ => true);
        await alice.ReceiveWhereAsync("call_joined", _ => true);
        await bob.ReceiveWhereAsync("call_joined", _ => true);

        await outsider.SendAsync(new { type = "call_offer", call_id = callId, to_user_id = c.Alice.Id, sdp = "intruder" });
        Assert.Equal("not_found", (string?)(await outsider.ReceiveWhereAsync("error", _ => true))["code"]);
        await carol.SendAsync(new { type = "call_offer", call_id = callId, to_user_id = c.Bob.Id, sdp = "early" });
        Assert.Equal("not_found", (string?)(await carol.ReceiveWhereAsync("error", _ => true))["code"]);
        await alice.SendAsync(new { type = "call_offer", call_id = callId, to_user_id = c.Carol.Id, sdp = "too soon" });
        Assert.Equal("not_found", (string?)(await alice.ReceiveWhereAsync("error", _ => true))["code"]);
        await alice.SendAsync(new { type = "call_offer", call_id = callId, to_user_id = c.Alice.Id, sdp = "myself" });
        Assert.Equal("not_found", (string?)(await alice.ReceiveWhereAsync("error", _ => true))["code"]);
        await alice.SendAsync(new { type = "call_offer", call_id = int.MaxValue, to_user_id = c.Bob.Id, sdp = "no such call" });
        Assert.Equal("not_found", (string?)(await alice.ReceiveWhereAsync("error", _ => true))["code"]);

        foreach (var socket in new[] { alice, bob, carol })
        {
            await AssertNoSignallingAsync(socket);
        }

        // Once the call ended, nothing more goes through.
        await c.Alice.CallActionAsync(callId, "leave").JsonAsyncTask(200);
        await c.Bob.CallActionAsync(callId, "leave").JsonAsyncTask(200);
        await alice.SendAsync(new { type = "call_offer", call_id = callId, to_user_id = c.Bob.Id, sdp = "after the end" });
        Assert.Equal("not_found", (string?)(await alice.ReceiveWhereAsync("error", _ => true))["code"]);
        await AssertNoSignallingAsync(bob);
    }

    [Fact]
    public async Task MalformedSignalling_IsAnsweredWithAnErrorNamingTheField()
    {
        var c = await CallKit.CastAsync(app, people: 2);
        var (alice, _) = await UserSocketExtensions.OpenAsync(app, c.Alice.Access);
        using var _a = alice;
        var callId = await c.Alice.StartCallIdAsync(c.DirectRoom);

        async Task ExpectAsync(object frame, string field)
        {
            await alice.SendAsync(frame);
            var error = await alice.ReceiveWhereAsync("error", _ => true);
            Assert.Equal("invalid_frame", (string?)error["code"]);
            Assert.StartsWith(field + ":", (string?)error["detail"]);
        }

        await ExpectAsync(new { type = "call_offer", to_user_id = c.Bob.Id, sdp = "x" }, "call_id");
        await ExpectAsync(new { type = "call_offer", call_id = "1", to_user_id = c.Bob.Id, sdp = "x" }, "call_id");
        await ExpectAsync(new { type = "call_answer", call_id = callId, sdp = "x" }, "to_user_id");
        await ExpectAsync(new { type = "call_answer", call_id = callId, to_user_id = c.Bob.Id }, "sdp");
        await ExpectAsync(new { type = "call_offer", call_id = callId, to_user_id = c.Bob.Id, sdp = new string('s', 33 * 1024) }, "sdp");
        await ExpectAsync(new { type = "call_ice", call_id = callId, to_user_id = c.Bob.Id, candidate = "a string" }, "candidate");
        await ExpectAsync(new { type = "call_ice", call_id = callId, to_user_id = c.Bob.Id, candidate = new { sdp_mid = "0" } }, "candidate.candidate");
        await ExpectAsync(new { type = "call_ice", call_id = callId, to_user_id = c.Bob.Id, candidate = new { candidate = "", sdp_m_line_index = -1 } },
            "candidate.sdp_m_line_index");
        await ExpectAsync(new { type = "call_ice", call_id = callId, to_user_id = c.Bob.Id, candidate = new { candidate = new string('c', 3000) } },
            "candidate.candidate");
        // The socket is still open and well.
        await alice.SendAsync(new { type = "ping" });
        await alice.ReceiveWhereAsync("pong", _ => true);
    }

    private static async Task AssertNoSignallingAsync(TestSocket socket)
    {
        try
        {
            while (await socket.ReceiveAsync(Quiet) is { } frame)
            {
                Assert.DoesNotContain((string?)frame["type"], new[] { "call_offer", "call_answer", "call_ice" });
            }
        }
        catch (OperationCanceledException)
        {
            // Quiet: nothing arrived.
        }
    }
}
