using SkiaSharp;

namespace Switchboard.Features.Users;

/// <summary>
/// Turns an uploaded picture into the stored avatar: the centre square, at most <see cref="MaxSide"/>
/// px, re-encoded as WebP. Re-encoding from decoded pixels is what strips EXIF and every other
/// piece of metadata (location, camera); the photo's orientation tag is applied first so the
/// picture stays upright.
/// </summary>
public static class Avatars
{
    public const int MaxSide = 256;
    public const long MaxUploadBytes = 2 * 1024 * 1024;
    public const string ContentType = "image/webp";
    public static readonly IReadOnlySet<string> AcceptedTypes = new HashSet<string> { "image/png", "image/jpeg", "image/webp" };
    // A small file can claim a gigantic canvas: refuse to decode such pixel bombs.
    private const long MaxSourcePixels = 40_000_000;

    /// <returns>The WebP bytes, or null when the picture cannot be decoded.</returns>
    public static byte[]? Render(Stream image)
    {
        using var codec = SKCodec.Create(image);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0 || (long)codec.Info.Width * codec.Info.Height > MaxSourcePixels)
        {
            return null;
        }
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            return null;
        }
        using var upright = Upright(decoded, codec.EncodedOrigin);
        var side = Math.Min(upright.Width, upright.Height);
        var target = Math.Min(side, MaxSide);
        var source = SKRectI.Create((upright.Width - side) / 2, (upright.Height - side) / 2, side, side);
        using var square = new SKBitmap(new SKImageInfo(target, target, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(square))
        {
            canvas.Clear(SKColors.Transparent);
            using var picture = SKImage.FromBitmap(upright);
            canvas.DrawImage(picture, source, SKRect.Create(target, target), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        using var data = square.Encode(SKEncodedImageFormat.Webp, 85);
        return data?.ToArray();
    }

    private static SKBitmap Upright(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return bitmap.Copy();
        }
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height);
        using var canvas = new SKCanvas(result);
        // The EXIF orientations as canvas transforms (mirror and/or quarter turns).
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, result.Width / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, result.Width / 2f, result.Height / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, result.Height / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(result.Width, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(result.Width, result.Height); canvas.RotateDegrees(90); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, result.Height); canvas.RotateDegrees(-90); break;
        }
        canvas.DrawBitmap(bitmap, 0, 0);
        return result;
    }
}
