using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Tickets;

public sealed class TicketAttachmentsTestsOnSqlite(SqliteTicketsApp app) : TicketAttachmentsTests(app), IClassFixture<SqliteTicketsApp>;

public sealed class TicketAttachmentsTestsOnPostgres(PostgresTicketsApp app) : TicketAttachmentsTests(app), IClassFixture<PostgresTicketsApp>;

public abstract class TicketAttachmentsTests(TicketsApp app)
{
    private async Task<(Cast Cast, int TicketId)> TicketAsync()
    {
        var cast = await app.CastAsync();
        return (cast, (int)(await cast.Member.CreateTicketAsync(cast.ProjectId))["id"]!);
    }

    private static async Task<JsonObject> UploadAsync(TestUser user, int ticketId, byte[] content, string name, bool encodedName = false) =>
        await (await user.Client.PostAsync($"/api/tickets/{ticketId}/attachments/", TicketKit.Multipart(content, name, encodedName: encodedName))).JsonAsync(201);

    [Fact]
    public async Task Upload_Image_IsServedInlineWithItsRealType()
    {
        var (cast, id) = await TicketAsync();
        var attachment = await UploadAsync(cast.Member, id, TicketKit.Png, "screenshot.jpg");
        Assert.Equal(["id", "file_name", "file_size", "content_type", "url", "thumbnail_url", "uploaded_by", "created_at"],
            attachment.Select(p => p.Key).ToArray());
        Assert.Equal("screenshot.jpg", (string)attachment["file_name"]!);
        Assert.Equal(TicketKit.Png.Length, (long)attachment["file_size"]!);
        Assert.Equal("image/png", (string)attachment["content_type"]!);
        Assert.Equal(cast.Member.Id, (int)attachment["uploaded_by"]!["id"]!);
        Assert.Null(attachment["thumbnail_url"]);

        var response = await app.CreateClient().GetAsync((string)attachment["url"]!);
        await response.EnsureStatusAsync(200);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(TicketKit.Png, await response.Content.ReadAsByteArrayAsync());

        var list = await (await cast.Viewer.Client.GetAsync($"/api/tickets/{id}/attachments/")).JsonAsync(200);
        Assert.Equal(1, (int)list["count"]!);
    }

    [Fact]
    public async Task Upload_TextNamedPng_IsServedAsAnAttachment()
    {
        var (cast, id) = await TicketAsync();
        var attachment = await UploadAsync(cast.Member, id, "<script>alert(1)</script>"u8.ToArray(), "evil.png");
        Assert.Equal("application/octet-stream", (string)attachment["content_type"]!);
        var response = await app.CreateClient().GetAsync((string)attachment["url"]!);
        await response.EnsureStatusAsync(200);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd", "passwd")]
    [InlineData("a%0D%0ASet-Cookie%3A%20x%3D1.txt", "aSet-Cookie: x=1.txt")]
    [InlineData("%E2%80%AEgnp.exe", "gnp.exe")]
    [InlineData("C%3A%5Cwindows%5Cevil.bat", "evil.bat")]
    public async Task Upload_HostileNames_AreCleaned(string encodedName, string expected)
    {
        var (cast, id) = await TicketAsync();
        var attachment = await UploadAsync(cast.Member, id, "x"u8.ToArray(), encodedName, encodedName: true);
        Assert.Equal(expected, (string)attachment["file_name"]!);
        var response = await app.CreateClient().GetAsync((string)attachment["url"]!);
        await response.EnsureStatusAsync(200);
        var disposition = string.Join("", response.Content.Headers.GetValues("Content-Disposition"));
        Assert.DoesNotContain("\r", disposition, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", disposition, StringComparison.Ordinal);
        Assert.DoesNotContain("/", disposition, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Upload_VeryLongName_IsShortenedKeepingTheExtension()
    {
        var (cast, id) = await TicketAsync();
        var attachment = await UploadAsync(cast.Member, id, "x"u8.ToArray(), new string('a', 300) + ".txt");
        var name = (string)attachment["file_name"]!;
        Assert.Equal(255, name.Length);
        Assert.EndsWith(".txt", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OverTheLimit_Returns413AndStoresNothing()
    {
        var (cast, id) = await TicketAsync();
        var response = await cast.Member.Client.PostAsync($"/api/tickets/{id}/attachments/", TicketKit.Multipart(new byte[65_537], "big.bin"));
        await response.ProblemAsync(413);
        var list = await (await cast.Member.Client.GetAsync($"/api/tickets/{id}/attachments/")).JsonAsync(200);
        Assert.Equal(0, (int)list["count"]!);
        await UploadAsync(cast.Member, id, new byte[65_536], "just-fits.bin");
    }

    [Fact]
    public async Task Upload_WrongFieldOrNotMultipart_Returns4xx()
    {
        var (cast, id) = await TicketAsync();
        await (await cast.Member.Client.PostAsync($"/api/tickets/{id}/attachments/", TicketKit.Multipart("x"u8.ToArray(), "a.txt", field: "upload")))
            .AssertFieldErrorAsync("file");
        await (await cast.Member.Client.PostRawAsync($"/api/tickets/{id}/attachments/", "{}")).ProblemAsync(415);
    }

    [Fact]
    public async Task Download_NeedsASignatureOrAMembersToken()
    {
        var (cast, id) = await TicketAsync();
        var attachment = await UploadAsync(cast.Member, id, "secret"u8.ToArray(), "secret.txt");
        var url = new Uri((string)attachment["url"]!);
        var path = url.AbsolutePath;
        var anonymous = app.CreateClient();

        await (await anonymous.GetAsync(url)).EnsureStatusAsync(200);
        await (await cast.Viewer.Client.GetAsync(path)).EnsureStatusAsync(200);
        await (await cast.Viewer.Client.GetAsync(path.TrimEnd('/'))).EnsureStatusAsync(200);
        await (await anonymous.GetAsync(path)).ProblemAsync(404);
        await (await cast.Outsider.Client.GetAsync(path)).ProblemAsync(404);

        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var sig = query["sig"]!;
        var tampered = sig[..^1] + (sig[^1] == 'a' ? 'b' : 'a');
        await (await anonymous.GetAsync($"{path}?expires={query["expires"]}&sig={tampered}")).ProblemAsync(404);
        await (await anonymous.GetAsync($"{path}?expires=1000&sig={sig}")).ProblemAsync(404);
        await (await anonymous.GetAsync($"{path}?expires={long.Parse(query["expires"]!) + 3600}&sig={sig}")).ProblemAsync(404);
        await (await anonymous.GetAsync($"{path}?expires=abc&sig={sig}")).ProblemAsync(404);
        // A valid signature for one file opens no other.
        var other = await UploadAsync(cast.Member, id, "other"u8.ToArray(), "other.txt");
        var otherPath = new Uri((string)other["url"]!).AbsolutePath;
        await (await anonymous.GetAsync($"{otherPath}{url.Query}")).ProblemAsync(404);
        await (await cast.Member.Client.GetAsync("/api/tickets/attachments/0123456789abcdef0123456789abcdef/download/")).ProblemAsync(404);

        // Once the uploader leaves... the link is for the file, the bearer path for members only.
        await (await cast.Owner.Client.DeleteAsync($"/api/projects/{cast.ProjectId}/members/{cast.Viewer.Id}/")).EnsureStatusAsync(204);
        await (await cast.Viewer.Client.GetAsync(path)).ProblemAsync(404);
    }

    [Fact]
    public async Task Delete_ByUploaderOrAdmin()
    {
        var (cast, id) = await TicketAsync();
        var mine = await UploadAsync(cast.Member, id, "1"u8.ToArray(), "1.txt");
        var admins = await UploadAsync(cast.Admin, id, "2"u8.ToArray(), "2.txt");
        await (await cast.Member.Client.DeleteAsync($"/api/tickets/{id}/attachments/{admins["id"]}/")).ProblemAsync(403);
        await (await cast.Viewer.Client.DeleteAsync($"/api/tickets/{id}/attachments/{mine["id"]}/")).ProblemAsync(403);
        await (await cast.Member.Client.DeleteAsync($"/api/tickets/{id}/attachments/{mine["id"]}/")).EnsureStatusAsync(204);
        await (await cast.Owner.Client.DeleteAsync($"/api/tickets/{id}/attachments/{admins["id"]}/")).EnsureStatusAsync(204);
        await (await cast.Owner.Client.DeleteAsync($"/api/tickets/{id}/attachments/{admins["id"]}/")).ProblemAsync(404);
        await (await app.CreateClient().GetAsync((string)mine["url"]!)).ProblemAsync(404);
    }
}
