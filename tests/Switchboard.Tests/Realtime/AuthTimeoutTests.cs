using Switchboard.Data;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Realtime;

/// <summary>An app whose sockets wait one second for a first-frame auth.</summary>
public sealed class ShortAuthTimeoutApp() : KestrelApp(DatabaseProvider.Sqlite, new Dictionary<string, string?>
{
    ["Realtime:AuthTimeoutSeconds"] = "1",
});

public sealed class AuthTimeoutTests(ShortAuthTimeoutApp app) : IClassFixture<ShortAuthTimeoutApp>
{
    [Fact]
    public async Task RoomSocket_ThatNeverAuthenticates_IsClosedWith4401()
    {
        var scene = await SceneAsync(app);
        using var silent = await ConnectAsync(app, scene.RoomId, token: null);
        // Before the fix the receive was cancelled, which aborts a WebSocket: the client saw 1006 (no close frame).
        Assert.Equal(4401, await silent.ClosedWithAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task UserSocket_ThatNeverAuthenticates_IsClosedWith4401()
    {
        using var silent = await ConnectUserAsync(app, token: null);
        Assert.Equal(4401, await silent.ClosedWithAsync(TimeSpan.FromSeconds(15)));
    }
}
