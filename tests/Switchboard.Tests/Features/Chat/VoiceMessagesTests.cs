using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Chat;

public sealed class VoiceMessagesTestsOnSqlite(SqliteApp app) : VoiceMessagesTests(app), IClassFixture<SqliteApp>;

public sealed class VoiceMessagesTestsOnPostgres(PostgresApp app) : VoiceMessagesTests(app), IClassFixture<PostgresApp>;

public abstract class VoiceMessagesTests(SwitchboardApp app)
{
    private static readonly string Bars = "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => i * 2)) + "]";

    private static Task<HttpResponseMessage> SendVoiceAsync(TestUser user, int room, byte[] bytes, string fileName, string? waveform = null,
        params (string Name, string Value)[] extra)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(room.ToString(CultureInfo.InvariantCulture)), "room" },
            { new StringContent("voice"), "type" },
        };
        if (waveform is not null)
        {
            form.Add(new StringContent(waveform), "waveform");
        }
        foreach (var (name, value) in extra)
        {
            form.Add(new StringContent(value), name);
        }
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/ogg");
        form.Add(file, "attachment", fileName);
        return user.Client.PostAsync("/api/chat/messages/", form);
    }

    [Theory]
    [InlineData("ogg", "audio/ogg", null)]
    [InlineData("webm", "audio/webm", null)]
    [InlineData("m4a", "audio/mp4", null)]
    [InlineData("m4a", "audio/mp4", "-movflags +frag_keyframe+empty_moov")]
    [InlineData("ogg", "audio/ogg", "-frame_duration 60")]
    public async Task Voice_IsMeasuredFromTheFile_NotFromTheClaim(string extension, string contentType, string? ffmpegArgs)
    {
        var c = await app.CastAsync();
        var audio = VoiceMedia.Tone(3, extension, ffmpegArgs);
        // A claimed duration and content are not the client's to set.
        var message = await (await SendVoiceAsync(c.Participant, c.RoomId, audio, "note." + extension, Bars,
            ("duration_ms", "999999"), ("content", "ignored"))).JsonAsync(201);

        Assert.Equal("voice", (string)message["type"]!);
        var duration = (int)message["duration_ms"]!;
        // Fragmented MP4 keeps the encoder's priming (23 ms at 44.1 kHz) in its length.
        Assert.InRange(duration, 2950, 3050);
        Assert.Equal("Voice message (0:03)", (string)message["content"]!);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2), message["waveform"]!.AsArray().Select(v => (int)v!));

        var served = await c.Creator.Client.GetAsync((string)message["attachment_url"]!);
        await served.EnsureStatusAsync(200);
        Assert.Equal(contentType, served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", served.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(audio, await served.Content.ReadAsByteArrayAsync());

        // Players seek with ranges.
        using var range = new HttpRequestMessage(HttpMethod.Get, (string)message["attachment_url"]!);
        range.Headers.Range = new RangeHeaderValue(10, 19);
        var partial = await c.Creator.Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(audio[10..20], await partial.Content.ReadAsByteArrayAsync());

        // What others read is the same.
        var read = await (await c.Creator.Client.GetAsync($"/api/chat/messages/{message["id"]}/")).JsonAsync(200);
        Assert.Equal(duration, (int)read["duration_ms"]!);
        Assert.Equal(100, read["waveform"]!.AsArray().Count);
    }

    [Fact]
    public async Task Voice_WithoutWaveform_IsKeptWithNone()
    {
        var c = await app.CastAsync();
        var message = await (await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.Tone(1.5, "webm"), "a.webm")).JsonAsync(201);
        Assert.InRange((int)message["duration_ms"]!, 1450, 1550);
        Assert.Null(message["waveform"]);
        Assert.Equal("Voice message (0:02)", (string)message["content"]!);
    }

    [Fact]
    public async Task OtherTypes_HaveNullDurationAndWaveform()
    {
        var c = await app.CastAsync();
        var text = await c.Participant.SendAsync(c.RoomId, "hello");
        Assert.True(text.ContainsKey("duration_ms"));
        Assert.True(text.ContainsKey("waveform"));
        Assert.Null(text["duration_ms"]);
        Assert.Null(text["waveform"]);
    }

    [Fact]
    public async Task FiveMinutes_IsAccepted_FiveMinutesAndOneSecond_IsRefused()
    {
        var c = await app.CastAsync();
        var five = await (await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.Tone(300, "webm"), "five.webm")).JsonAsync(201);
        Assert.Equal(300_000, (int)five["duration_ms"]!);
        Assert.Equal("Voice message (5:00)", (string)five["content"]!);

        foreach (var extension in new[] { "ogg", "webm", "m4a" })
        {
            var response = await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.Tone(301, extension), "long." + extension);
            var problem = await response.ProblemAsync(400);
            Assert.Contains("5 minutes", problem["errors"]!["attachment"]![0]!.ToString(), StringComparison.Ordinal);
        }
        var list = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        Assert.Equal(1, (int)list["count"]!);
    }

    [Fact]
    public async Task ImageOrTextNamedOgg_IsRefused()
    {
        var c = await app.CastAsync();
        await (await SendVoiceAsync(c.Participant, c.RoomId, ChatKit.Png, "voice.ogg", Bars)).AssertFieldErrorAsync("attachment");
        await (await SendVoiceAsync(c.Participant, c.RoomId, "OggS is not enough"u8.ToArray(), "voice.ogg")).AssertFieldErrorAsync("attachment");
        await (await SendVoiceAsync(c.Participant, c.RoomId, "just words"u8.ToArray(), "voice.ogg")).AssertFieldErrorAsync("attachment");
        // Ogg holding Vorbis rather than Opus is audio, but not a voice message we take.
        await (await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.Tone(1, "ogg", "-c:a libvorbis"), "vorbis.ogg")).AssertFieldErrorAsync("attachment");
        // No file at all.
        var form = new MultipartFormDataContent { { new StringContent(c.RoomId.ToString(CultureInfo.InvariantCulture)), "room" }, { new StringContent("voice"), "type" } };
        await (await c.Participant.Client.PostAsync("/api/chat/messages/", form)).AssertFieldErrorAsync("attachment");
        await (await c.Participant.Client.PostAsJsonAsync("/api/chat/messages/", new { room = c.RoomId, type = "voice", content = "hi" }))
            .AssertFieldErrorAsync("attachment");
        var list = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        Assert.Equal(0, (int)list["count"]!);
    }

    [Theory]
    [InlineData("ogg", "truncated")]
    [InlineData("webm", "truncated")]
    [InlineData("m4a", "truncated")]
    [InlineData("ogg", "flipped")]
    [InlineData("webm", "lying")]
    [InlineData("m4a", "lying")]
    public async Task DamagedContainer_IsRefused(string extension, string damage)
    {
        var c = await app.CastAsync();
        var audio = VoiceMedia.Tone(3, extension);
        var bytes = damage switch
        {
            "truncated" => audio[..(audio.Length * 2 / 3)],
            "flipped" => Flip(audio, audio.Length / 2),
            // Declares 10 s over 3 s of packets.
            _ => extension == "webm" ? VoiceMedia.WithWebmDuration(audio, 10_000) : VoiceMedia.WithMp4TrackDuration(audio, 44_100 * 10),
        };
        var problem = await (await SendVoiceAsync(c.Participant, c.RoomId, bytes, "bad." + extension)).ProblemAsync(400);
        Assert.NotNull(problem["errors"]!["attachment"]);
    }

    [Fact]
    public async Task DeclaredLength_WithinOnePacket_IsAccepted()
    {
        var c = await app.CastAsync();
        var audio = VoiceMedia.Tone(3, "webm");
        // ffmpeg declares 3008 ms; 3008 + 15 ms is within one 20 ms packet of the packets' sum.
        await (await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.WithWebmDuration(audio, 3_023), "ok.webm")).EnsureStatusAsync(201);
        await (await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.WithWebmDuration(audio, 3_080), "bad.webm")).AssertFieldErrorAsync("attachment");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"bars\": [1]}")]
    [InlineData("[]")]
    [InlineData("[256]")]
    [InlineData("[-1]")]
    [InlineData("[1.5]")]
    [InlineData("[\"7\"]")]
    [InlineData("[null]")]
    [InlineData("[[1]]")]
    [InlineData("101 bars")]
    public async Task BadWaveform_Returns400NamingWaveform(string waveform)
    {
        if (waveform == "101 bars")
        {
            waveform = "[" + string.Join(",", Enumerable.Repeat(1, 101)) + "]";
        }
        var c = await app.CastAsync();
        await (await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.Tone(1, "ogg"), "a.ogg", waveform)).AssertFieldErrorAsync("waveform");
    }

    [Fact]
    public async Task Voice_CannotBeEdited_ButCanBeDeleted()
    {
        var c = await app.CastAsync();
        var message = await (await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.Tone(1, "ogg"), "a.ogg", "[1,2,3]")).JsonAsync(201);
        var id = (int)message["id"]!;
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = "changed" })).ProblemAsync(403);
        var read = await (await c.Participant.Client.GetAsync($"/api/chat/messages/{id}/")).JsonAsync(200);
        Assert.Equal("Voice message (0:01)", (string)read["content"]!);
        Assert.False((bool)read["is_edited"]!);
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{id}/")).EnsureStatusAsync(204);
        await (await c.Participant.Client.GetAsync((string)message["attachment_url"]!)).ProblemAsync(404);
    }

    [Fact]
    public async Task Outsider_CannotFetchTheAudio()
    {
        var c = await app.CastAsync();
        var message = await (await SendVoiceAsync(c.Participant, c.RoomId, VoiceMedia.Tone(1, "webm"), "a.webm", "[9]")).JsonAsync(201);
        var signed = (string)message["attachment_url"]!;
        var bare = signed[..signed.IndexOf('?', StringComparison.Ordinal)];
        await (await c.Outsider.Client.GetAsync(bare)).ProblemAsync(404);
        await (await c.Member.Client.GetAsync(bare)).ProblemAsync(404);
        await (await c.Outsider.Client.GetAsync($"/api/chat/messages/{message["id"]}/")).ProblemAsync(404);
        await (await app.CreateClient().GetAsync(bare)).ProblemAsync(401);
        await (await app.CreateClient().GetAsync(signed.Replace($"u={c.Participant.Id}", $"u={c.Outsider.Id}", StringComparison.Ordinal)))
            .ProblemAsync(404);
        // An outsider cannot send one into the room either.
        await (await SendVoiceAsync(c.Outsider, c.RoomId, VoiceMedia.Tone(1, "webm"), "a.webm")).ProblemAsync(404);
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0xFF;
        return copy;
    }
}
