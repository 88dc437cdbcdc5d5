using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Data;
using Switchboard.Features.Chat;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Realtime;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Infrastructure;

/// <summary>PostgreSQL goes away under a running server (through a relay that cuts it off) and comes back.</summary>
public sealed class DatabaseOutageTests : IDisposable
{
    private readonly TcpRelay _relay;
    private readonly KestrelApp _app;

    public DatabaseOutageTests()
    {
        (_relay, var connectionString) = TcpRelay.For(TestDatabases.CreatePostgresDatabase());
        _app = new KestrelApp(DatabaseProvider.Postgres, new Dictionary<string, string?> { ["ConnectionStrings:Database"] = connectionString });
    }

    [Fact]
    public async Task DatabaseDown_Answers503WithRetryAfter_LogsOncePerOutage_AndResumesByItself()
    {
        var scene = await SceneAsync(_app);
        using var bob = await ConnectAsync(_app, scene.RoomId, scene.Bob.Access);
        _app.Logs.Clear();

        _relay.Cut();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var response = await scene.Alice.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}");
            var problem = await response.ProblemAsync(503);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.DoesNotContain(" at ", problem.ToJsonString(), StringComparison.Ordinal);
        }
        var send = await scene.Alice.Client.PostAsJsonAsync("/api/chat/messages/", new { room = scene.RoomId, content = "lost?", type = "text" });
        await send.ProblemAsync(503);
        // Fast: refused connections, not timeouts.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"21 requests took {watch.Elapsed}");

        Assert.Equal(503, await RefusedStatusAsync(_app, scene.RoomId, scene.Bob.Access));
        await bob.SendAsync(new { type = "message_send", content = "while down", client_id = "down-1" });
        var error = await bob.ReceiveTypeAsync("error");
        Assert.Equal("unavailable", (string)error["code"]!);
        Assert.Equal("down-1", (string)error["client_id"]!);
        Assert.Equal(503, (int)(await _app.CreateClient().GetAsync("/health/ready")).StatusCode);

        // One line for the outage, however many requests failed.
        var errors = _app.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Error).ToList();
        var outage = Assert.Single(errors);
        Assert.StartsWith("Database unavailable", outage.Message, StringComparison.Ordinal);

        _relay.Open();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await scene.Alice.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the server did not resume after the database came back");
            await Task.Delay(200);
        }
        await scene.Alice.SendRestAsync(scene.RoomId, "after the outage");
        await bob.ReceiveMessageAsync("after the outage");
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_app.Logs.GetSnapshot().Any(r => r.Message.StartsWith("Database available again", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "no recovery line was logged");
            await Task.Delay(100);
        }
        Assert.Single(_app.Logs.GetSnapshot(), r => r.Message.StartsWith("Database available again", StringComparison.Ordinal));
        Assert.Single(_app.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    public void Dispose()
    {
        _app.Dispose();
        _relay.Dispose();
    }
}

public sealed class DiskFullTestsOnSqlite() : DiskFullTests(DatabaseProvider.Sqlite);

public sealed class DiskFullTestsOnPostgres() : DiskFullTests(DatabaseProvider.Postgres);

/// <summary>
/// Uploads land on a real file system that is full: a 256 KiB tmpfs mounted over the uploads
/// folder (the test script runs as root; elsewhere the test fails saying why).
/// </summary>
public abstract class DiskFullTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("switchboard-diskfull").FullName;
    private readonly string _uploads;
    private readonly SwitchboardApp _app;

    protected DiskFullTests(DatabaseProvider provider)
    {
        _uploads = Path.Combine(_dataDir, "uploads");
        Directory.CreateDirectory(_uploads);
        Run("mount", $"-t tmpfs -o size=256k tmpfs {_uploads}");
        _app = new SwitchboardApp(provider, new Dictionary<string, string?>
        {
            ["DataDir"] = _dataDir,
            ["ConnectionStrings:Database"] = provider == DatabaseProvider.Postgres
                ? TestDatabases.CreatePostgresDatabase()
                : $"Data Source={Path.Combine(_dataDir, "test.db")}",
        });
    }

    [Fact]
    public async Task Upload_OnAFullDisk_Answers507AndLogsAnError_AndNothingElseBreaks()
    {
        var cast = await _app.CastAsync();
        _app.Logs.Clear();

        var response = await cast.Creator.UploadAsync(cast.RoomId, "file", new byte[1024 * 1024], "big.bin");
        var problem = await response.ProblemAsync(507);
        Assert.Contains("nothing was stored", (string)problem["detail"]!, StringComparison.Ordinal);
        var error = Assert.Single(_app.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
        Assert.Contains("storage is full", error.Message, StringComparison.Ordinal);
        // The partial file is gone, so the disk has room again for what fits.
        Assert.Empty(Directory.EnumerateFiles(_uploads, "*", SearchOption.AllDirectories));

        await (await cast.Creator.UploadAsync(cast.RoomId, "file", new byte[10 * 1024], "small.bin")).JsonAsync(201);
        await cast.Creator.SendAsync(cast.RoomId, "text still works");
    }

    private static void Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {arguments} failed (run the tests as root): {process.StandardError.ReadToEnd()}");
        }
    }

    public void Dispose()
    {
        _app.Dispose();
        Run("umount", _uploads);
        Directory.Delete(_dataDir, recursive: true);
    }
}
