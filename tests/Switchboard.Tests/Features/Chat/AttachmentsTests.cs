using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Data;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Chat;

public sealed class AttachmentsTestsOnSqlite(AttachmentsTests.SmallUploadsOnSqlite app) : AttachmentsTests(app), IClassFixture<AttachmentsTests.SmallUploadsOnSqlite>;

public sealed class AttachmentsTestsOnPostgres(AttachmentsTests.SmallUploadsOnPostgres app) : AttachmentsTests(app), IClassFixture<AttachmentsTests.SmallUploadsOnPostgres>;

public abstract class AttachmentsTests(SwitchboardApp app)
{
    public const int MaxBytes = 64 * 1024;

    public sealed class SmallUploadsOnSqlite() : SwitchboardApp(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Uploads:MaxBytes"] = MaxBytes.ToString() });

    public sealed class SmallUploadsOnPostgres() : SwitchboardApp(DatabaseProvider.Postgres, new Dictionary<string, string?> { ["Uploads:MaxBytes"] = MaxBytes.ToString() });

    [Fact]
    public async Task Image_IsStored_ServedInlineWithItsRealType_AndGetsAThumbnail()
    {
        var c = await app.CastAsync();
        var png = ChatKit.LargePng();
        var message = await (await c.Participant.UploadAsync(c.RoomId, "image", png, "cat.png", "look")).JsonAsync(201);
        Assert.Equal("image", (string)message["type"]!);
        Assert.Equal("cat.png", (string)message["attachment_name"]!);
        Assert.Equal(png.Length, (long)message["attachment_size"]!);
        Assert.Equal("look", (string)message["content"]!);
        var url = (string)message["attachment_url"]!;
        Assert.Contains("sig=", url, StringComparison.Ordinal);

        var anonymous = app.CreateClient();
        var image = await anonymous.GetAsync(url);
        await image.EnsureStatusAsync(200);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());

        var thumbnailUrl = (string?)message["thumbnail_url"];
        Assert.NotNull(thumbnailUrl);
        var thumbnail = await anonymous.GetAsync(thumbnailUrl);
        await thumbnail.EnsureStatusAsync(200);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType?.MediaType);
        using var decoded = SkiaSharp.SKBitmap.Decode(await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal(320, decoded.Width);
        Assert.Equal(240, decoded.Height);
    }

    [Fact]
    public async Task File_IsServedAsADownload()
    {
        var c = await app.CastAsync();
        var bytes = "<html><script>alert(1)</script></html>"u8.ToArray();
        var message = await (await c.Participant.UploadAsync(c.RoomId, "file", bytes, "page.html")).JsonAsync(201);
        Assert.Null(message["thumbnail_url"]);
        var response = await c.Creator.Client.GetAsync((string)message["attachment_url"]!);
        await response.EnsureStatusAsync(200);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TextFileNamedPng_SentAsImage_Returns400()
    {
        var c = await app.CastAsync();
        var response = await c.Participant.UploadAsync(c.RoomId, "image", "just some text"u8.ToArray(), "fake.png");
        await response.AssertFieldErrorAsync("attachment");
        // The same bytes are fine as a file.
        await (await c.Participant.UploadAsync(c.RoomId, "file", "just some text"u8.ToArray(), "fake.png")).EnsureStatusAsync(201);
    }

    [Fact]
    public async Task OversizeUpload_Returns413()
    {
        var c = await app.CastAsync();
        var response = await c.Participant.UploadAsync(c.RoomId, "file", new byte[MaxBytes + 1], "big.bin");
        await response.ProblemAsync(413);
        var list = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        Assert.Equal(0, (int)list["count"]!);
        await (await c.Participant.UploadAsync(c.RoomId, "file", new byte[MaxBytes], "fits.bin")).EnsureStatusAsync(201);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\boot.ini", "boot.ini")]
    [InlineData("evil\r\nSet-Cookie: x=1.txt", "evilSet-Cookie: x=1.txt")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    public async Task FileNames_AreCleaned(string name, string expected)
    {
        var c = await app.CastAsync();
        var message = await (await c.Participant.UploadAsync(c.RoomId, "file", [1, 2, 3], name)).JsonAsync(201);
        Assert.Equal(expected, (string)message["attachment_name"]!);
        var response = await c.Participant.Client.GetAsync((string)message["attachment_url"]!);
        await response.EnsureStatusAsync(200);
        Assert.Equal(expected, response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task LongFileName_IsShortenedTo255KeepingItsExtension()
    {
        var c = await app.CastAsync();
        var message = await (await c.Participant.UploadAsync(c.RoomId, "file", [1], new string('n', 300) + ".pdf")).JsonAsync(201);
        var name = (string)message["attachment_name"]!;
        Assert.Equal(255, name.Length);
        Assert.EndsWith(".pdf", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ByViewerOrOutsider_IsRefused()
    {
        var c = await app.CastAsync();
        await (await c.Viewer.UploadAsync(c.RoomId, "image", ChatKit.Png, "a.png")).ProblemAsync(403);
        await (await c.Outsider.UploadAsync(c.RoomId, "image", ChatKit.Png, "a.png")).ProblemAsync(404);
    }

    [Fact]
    public async Task AccessMatrix_ParticipantsOnly_AndRemovalEndsAccess()
    {
        var c = await app.CastAsync();
        var message = await (await c.Participant.UploadAsync(c.RoomId, "image", ChatKit.Png, "a.png")).JsonAsync(201);
        var signed = (string)message["attachment_url"]!;
        var bare = signed[..signed.IndexOf('?', StringComparison.Ordinal)];

        // Bearer path: participants yes, everyone else 404; no credentials at all 401.
        await (await c.Creator.Client.GetAsync(bare)).EnsureStatusAsync(200);
        await (await c.Viewer.Client.GetAsync(bare)).EnsureStatusAsync(200);
        await (await c.Member.Client.GetAsync(bare)).ProblemAsync(404);
        await (await c.Owner.Client.GetAsync(bare)).ProblemAsync(404);
        await (await c.Outsider.Client.GetAsync(bare)).ProblemAsync(404);
        await (await app.CreateClient().GetAsync(bare)).ProblemAsync(401);

        // Signed links: exactly as issued; tampering or another id fails.
        var anonymous = app.CreateClient();
        await (await anonymous.GetAsync(signed)).EnsureStatusAsync(200);
        await (await anonymous.GetAsync(signed.Replace("sig=", "sig=0", StringComparison.Ordinal))).ProblemAsync(404);
        await (await anonymous.GetAsync(signed.Replace($"u={c.Participant.Id}", $"u={c.Outsider.Id}", StringComparison.Ordinal))).ProblemAsync(404);
        await (await anonymous.GetAsync(System.Text.RegularExpressions.Regex.Replace(signed, "expires=\\d+", "expires=9999999999"))).ProblemAsync(404);
        await (await anonymous.GetAsync("/api/chat/attachments/" + new string('a', 32) + signed[signed.IndexOf('?', StringComparison.Ordinal)..])).ProblemAsync(404);

        // The viewer's own link, then the viewer is removed: both ways in are closed.
        var viewerCopy = await (await c.Viewer.Client.GetAsync($"/api/chat/messages/{message["id"]}/")).JsonAsync(200);
        var viewerLink = (string)viewerCopy["attachment_url"]!;
        Assert.Contains($"u={c.Viewer.Id}", viewerLink, StringComparison.Ordinal);
        await (await anonymous.GetAsync(viewerLink)).EnsureStatusAsync(200);
        await (await c.Creator.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/remove_participant/", new { user_id = c.Viewer.Id })).EnsureStatusAsync(204);
        await (await c.Viewer.Client.GetAsync(bare)).ProblemAsync(404);
        await (await anonymous.GetAsync(viewerLink)).ProblemAsync(404);
        await (await anonymous.GetAsync(viewerLink.Replace("/api/chat/attachments/", "/api/chat/attachments", StringComparison.Ordinal) + "&x=1")).ProblemAsync(404);

        // Deleting the message ends it for everyone.
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{message["id"]}/")).EnsureStatusAsync(204);
        await (await c.Creator.Client.GetAsync(bare)).ProblemAsync(404);
    }

    [Fact]
    public async Task ClientId_OnUploads_IsIdempotentToo()
    {
        var c = await app.CastAsync();
        var first = await (await c.Participant.UploadAsync(c.RoomId, "file", [1, 2], "a.bin", clientId: "up-1")).JsonAsync(201);
        var again = await (await c.Participant.UploadAsync(c.RoomId, "file", [1, 2], "a.bin", clientId: "up-1")).JsonAsync(200);
        Assert.Equal((int)first["id"]!, (int)again["id"]!);
    }

    [Fact]
    public async Task Multipart_BadFields_Return400()
    {
        var c = await app.CastAsync();
        var form = new MultipartFormDataContent { { new StringContent("abc"), "room" }, { new StringContent("x"), "content" } };
        await (await c.Participant.Client.PostAsync("/api/chat/messages/", form)).AssertFieldErrorAsync("room");
        var wrongField = new MultipartFormDataContent
        {
            { new StringContent(c.RoomId.ToString()), "room" },
            { new StringContent("file"), "type" },
            { new ByteArrayContent([1]), "upload", "a.bin" },
        };
        await (await c.Participant.Client.PostAsync("/api/chat/messages/", wrongField)).AssertFieldErrorAsync("attachment");
        await (await c.Participant.UploadAsync(c.RoomId, "text", [1], "a.bin", "hello")).AssertFieldErrorAsync("attachment");
        _ = JsonNode.Parse("{}");
    }
}
