using System.Net.Http.Json;
using Switchboard.Data;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Features.Chat;

public sealed class SendLimitedSqliteApp() : SwitchboardApp(DatabaseProvider.Sqlite, SendLimits.Low);

public sealed class SendLimitedPostgresApp() : SwitchboardApp(DatabaseProvider.Postgres, SendLimits.Low);

internal static class SendLimits
{
    public static Dictionary<string, string?> Low => new()
    {
        ["RateLimits:ChatBurst"] = "3",
        ["RateLimits:ChatPerSecond"] = "0.01",
    };
}

public sealed class SendLimitTestsOnSqlite(SendLimitedSqliteApp app) : SendLimitTests(app), IClassFixture<SendLimitedSqliteApp>;

public sealed class SendLimitTestsOnPostgres(SendLimitedPostgresApp app) : SendLimitTests(app), IClassFixture<SendLimitedPostgresApp>;

/// <summary>REST message sends count against the per-user send limit that socket sends use.</summary>
public abstract class SendLimitTests(SwitchboardApp app)
{
    [Fact]
    public async Task RestSends_OverTheLimit_Return429WithRetryAfter_AndStoreNothing()
    {
        var scene = await SceneAsync(app);
        for (var i = 0; i < 3; i++)
        {
            await scene.Alice.SendRestAsync(scene.RoomId, $"within the limit {i}");
        }

        var limited = await scene.Alice.Client.PostAsJsonAsync("/api/chat/messages/", new { room = scene.RoomId, content = "one too many", type = "text" });
        await limited.ProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "a 429 says when to try again");

        // The limit is per user: Bob still sends.
        await scene.Bob.SendRestAsync(scene.RoomId, "bob is fine");
        var history = await (await scene.Bob.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}")).JsonAsync(200);
        Assert.Equal(4, (int)history["count"]!);
    }
}
