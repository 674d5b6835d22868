using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Messages.Tests;

/// <summary>A real pipeline's inputs for the message writers' tests, with a scripted backend standing in for ONNX
/// Runtime: class 1 in the left half of a centred block and class 2 in its right half (grid 8x8, input 32x32).</summary>
internal static class ScriptedPipeline
{
    public static readonly ModelInfo Model = new()
    {
        ClassNames = ["background", "left_hand", "right_hand"],
        Palette = [new Rgb(0, 0, 0), new Rgb(255, 0, 0), new Rgb(0, 255, 0)],
        InputWidth = 32,
        InputHeight = 32,
    };

    public sealed class Backend : IInferenceBackend
    {
        private readonly float[] _input = new float[3 * 32 * 32];
        private readonly float[] _output = new float[3 * 8 * 8];

        public Backend()
        {
            for (int y = 0; y < 8; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    int cls = y is >= 2 and < 7 && x is >= 2 and < 6 ? (x < 4 ? 1 : 2) : 0;
                    _output[(cls * 64) + (y * 8) + x] = 10f;
                }
            }
        }

        public string Provider => "scripted";
        public int InputWidth => 32;
        public int InputHeight => 32;
        public Span<float> Input => _input;
        public int OutputClasses => 3;
        public int OutputHeight => 8;
        public int OutputWidth => 8;
        public ReadOnlySpan<float> Output => _output;
        public void Run() { }
        public void Dispose() { }
    }
}
