using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RulesBilling.Host.Cli;

namespace RulesBilling.Host.Tests.Cli;

/// <summary>
/// simulate --format json streams its document through <see cref="TextWriterStream"/>: the text must be exactly what
/// decoding all the bytes at once gives, however the writes split multi-byte characters.
/// </summary>
public class TextWriterStreamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Text_written_in_pieces_is_the_text_of_the_whole(int piece)
    {
        const string text = "{\"customer\":\"Zoë Straße\",\"note\":\"€ 12,50 — 日本語 🚀 done\"}";
        var bytes = Encoding.UTF8.GetBytes(text);
        var output = new StringWriter();
        using (var stream = new TextWriterStream(output))
        {
            for (var at = 0; at < bytes.Length; at += piece) stream.Write(bytes, at, Math.Min(piece, bytes.Length - at));
        }
        Assert.Equal(text, output.ToString());
    }

    [Fact]
    public void A_json_writer_flushed_often_prints_the_document_it_would_buffer()
    {
        // Unescaped, so the document holds multi-byte characters that flushes cut anywhere.
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var buffered = new MemoryStream();
        var output = new StringWriter();
        using (var stream = new TextWriterStream(output))
        using (var streamed = new Utf8JsonWriter(stream, options))
        using (var whole = new Utf8JsonWriter(buffered, options))
        {
            foreach (var writer in new[] { streamed, whole })
            {
                writer.WriteStartArray();
                for (var i = 0; i < 2_000; i++)
                {
                    writer.WriteStringValue($"événement-{i} ✓");
                    if (ReferenceEquals(writer, streamed) && i % 37 == 0) writer.Flush();
                }
                writer.WriteEndArray();
            }
        }
        Assert.Equal(Encoding.UTF8.GetString(buffered.ToArray()), output.ToString());
        Assert.Contains("événement-1999 ✓", output.ToString(), StringComparison.Ordinal);
    }
}
