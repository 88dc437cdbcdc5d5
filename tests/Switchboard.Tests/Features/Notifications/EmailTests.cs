using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Switchboard.Data;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Notifications;

/// <summary>
/// A real SMTP server (Python's aiosmtpd, the Debian package python3-aiosmtpd) on a free port,
/// storing what it receives in a Maildir that the test reads.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly Process _process;

    public SmtpSink()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        // The handler creates the Maildir itself, and only when the folder does not exist yet.
        Maildir = Path.Combine(Path.GetTempPath(), "switchboard-smtp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(Maildir)!);
        _process = Process.Start(new ProcessStartInfo("/usr/bin/python3",
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException(
                    $"The test SMTP server did not start (is python3-aiosmtpd installed?): {_process.StandardError.ReadToEnd()}");
            }
        }
    }

    public int Port { get; }
    public string Maildir { get; }

    public List<string> Mails() =>
        Directory.Exists(Path.Combine(Maildir, "new"))
            ? Directory.GetFiles(Path.Combine(Maildir, "new")).Select(File.ReadAllText).ToList()
            : [];

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
        _process.Dispose();
    }
}

public class MailingApp(DatabaseProvider provider, SmtpSink sink) : SwitchboardApp(provider, new Dictionary<string, string?>
{
    ["Smtp:Host"] = "127.0.0.1",
    ["Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Smtp:From"] = "Switchboard <switchboard@example.com>",
    ["Notifications:EmailDelaySeconds"] = "3",
    ["Notifications:EmailPollSeconds"] = "1",
})
{
    public SmtpSink Sink { get; } = sink;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Sink.Dispose();
    }
}

public sealed class MailingSqliteApp() : MailingApp(DatabaseProvider.Sqlite, new SmtpSink());

public sealed class MailingPostgresApp() : MailingApp(DatabaseProvider.Postgres, new SmtpSink());

public sealed class EmailTestsOnSqlite(MailingSqliteApp app) : EmailTests(app), IClassFixture<MailingSqliteApp>;

public sealed class EmailTestsOnPostgres(MailingPostgresApp app) : EmailTests(app), IClassFixture<MailingPostgresApp>;

public abstract class EmailTests(MailingApp app)
{
    [Fact]
    public async Task UnreadMentionsAndDirectMessages_AreBatchedIntoOneMailPerPerson_ReadOnesAndOptedOutPeopleGetNone()
    {
        var c = await app.CastAsync();
        await (await c.Viewer.Client.PatchAsJsonAsync("/api/auth/me/", new { email_notifications = false })).EnsureStatusAsync(200);
        var direct = (int)(await (await c.Creator.PostJsonAsync("/api/chat/rooms/",
            new { type = "direct", project = c.ProjectId, participant_ids = new[] { c.Participant.Id } })).JsonAsync(201))["id"]!;
        await c.Creator.SendAsync(c.RoomId, $"@{c.Participant.Username} the first mention for you");
        await c.Creator.SendAsync(direct, "and a direct message for you");
        await c.Creator.SendAsync(c.RoomId, $"@{c.Admin.Username} @{c.Viewer.Username} quick question");
        // Read in time: no mail.
        await (await c.Admin.Client.PostAsync($"/api/chat/rooms/{c.RoomId}/mark_read/", null)).EnsureStatusAsync(200);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!app.Sink.Mails().Any(m => m.Contains(c.Participant.Username, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        // A few more polls, for a mail that should not come.
        await Task.Delay(3000);

        var mine = app.Sink.Mails().Where(m => m.Contains($"{c.Participant.Username}@example.com", StringComparison.Ordinal)).ToList();
        var mail = Assert.Single(mine);
        Assert.Contains("the first mention for you", mail, StringComparison.Ordinal);
        Assert.Contains("and a direct message for you", mail, StringComparison.Ordinal);
        Assert.Contains("Subject: You have 2 unread notifications", mail, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Sink.Mails(), m => m.Contains($"{c.Admin.Username}@example.com", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Sink.Mails(), m => m.Contains($"{c.Viewer.Username}@example.com", StringComparison.Ordinal));
    }
}
