package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export's option for TensorRT ({@link OnnxForm#FLOAT_IMAGE}) leaves the default ONNX files as
 * they were, byte for byte; the float form's own answers are checked in {@code slimbench.tensorrt.FloatImageTest}.
 *
 * <p>How to run: {@code mvn test -Dtest=OnnxFormTest}
 */
class OnnxFormTest {
    /** SHA-256 of each tiny model's default ONNX file (seed 1), written by the export before OnnxForm existed. */
    private static final Map<String, String> BEFORE = Map.ofEntries(
            Map.entry("mobilenet_v1 fp32", "e65050ff8b2ace26ff20835cd58c0ef9df8476a2274af9104ea77beb1584c9c7"),
            Map.entry("mobilenet_v1 fp16", "183998f8d958ea98863edf687aac98541efab8d4b17ec9c2557d00bec68305eb"),
            Map.entry("mobilenet_v2 fp32", "206dc4fe4dbdc51317de2931bbd16bc8c8ba9ec9975652902cb797fcdc86e681"),
            Map.entry("mobilenet_v2 fp16", "c9149f6ce01ebf3bec088a28ffbf5cf723be086a75d570999dd46e4ed787310b"),
            Map.entry("vgg_16 fp32", "d895a796855ca4f828141be099ee3d54872e024e2992674ea8ff3f9269f87b42"),
            Map.entry("vgg_16 fp16", "506998709864e86739b240a929ca1f14fb4ff9a528cfa04e74885c3b904a2572"),
            Map.entry("vgg_19 fp32", "9292ee95435262e443fb496764bb28b85831aa9accc7cd81a03af7c7fe01505d"),
            Map.entry("vgg_19 fp16", "8b18a934eb2f47964565ca91a0a3961c7f52f9aa74cbaf32130319ea4e0fb269"),
            Map.entry("inception_v1 fp32", "da2bccc1cd307b372d08723a7535abcabe6562c260f6bb725bd922099d4c6f93"),
            Map.entry("inception_v1 fp16", "54540b0aa38f7c21c1020dbfa53645f8d7a0cf54d3e39a4ef19b80b3d45fcafb"),
            Map.entry("inception_v2 fp32", "d0b6fe0400b976c9da7f56d532832c7751926279dc6ba3ba3601462179f18789"),
            Map.entry("inception_v2 fp16", "655d10b89f1a6abfeacf618f581999a6dd2c5fd3bf391e620ac11a31c092630f"),
            Map.entry("inception_v3 fp32", "8b44952a4e1881fd1ba3926fd106646d5c34025ef52d316e1feaae09dbcd21cd"),
            Map.entry("inception_v3 fp16", "ab17abaf11038611536f31aff71b0956cfd2b892cb65853487fa1171ef3ca28a"),
            Map.entry("inception_v4 fp32", "071685f5d29d3337290f4afc2e05bffa9358850be43e83218485298e3eb7d4a9"),
            Map.entry("inception_v4 fp16", "d20b5d395729ab984c778b8f1ab7f5fa47a8f8fde5780aa9d2d5e97ce2ee40d6"),
            Map.entry("resnet_v1_50 fp32", "6a6789c1c3bc2c3f9a3e643559b6af4bc9efa5f1cf0223105d56fec33afe05d8"),
            Map.entry("resnet_v1_50 fp16", "03a0f58a0b4f862fd380de70cde6741552ab87d5cf20fd2803538bdf4373c6a8"),
            Map.entry("resnet_v1_101 fp32", "56aa83c40ee0180ff8f61d5f0da96deb071b59a7648cb4f344f516f18db9daa6"),
            Map.entry("resnet_v1_101 fp16", "db68309d8368061ba79a808ae634c8226fb10fbb537834b66141b76435643ce1"),
            Map.entry("resnet_v1_152 fp32", "160938c09e891fb795f70025a67635088274ff42f5058f5da67bdbdfc34a6ebd"),
            Map.entry("resnet_v1_152 fp16", "c1ecd3c94a17f26959c146988f3f6ca74343e7e054666c8c2b8a9f8c687d8cc6"),
            Map.entry("resnet_v2_50 fp32", "f51a1e8acdd6ccbe0aec8bd9da294dde57f9f6bd2c6662c471e5171905312eb7"),
            Map.entry("resnet_v2_50 fp16", "10dfe086e7af6db709e7daf512fbac866b7a1326fdce59262ad1fc60bd9e3314"),
            Map.entry("resnet_v2_101 fp32", "4eee25bfb1e7041cb2a0bdff87b4cd31db0db8c65eb405d554de07c0d2aab46c"),
            Map.entry("resnet_v2_101 fp16", "c2b10034550a96c0fafa28a74f1ba573cb061fb5e3d4474a4cba571f3ce301a6"),
            Map.entry("resnet_v2_152 fp32", "42c8c55d059ec6c90c5b9ba9f6bef45e3084041b8517ba34c6854f1b7d516dc3"),
            Map.entry("resnet_v2_152 fp16", "915ee0b75ab1b5ec8f868bf43ab32c816693be68975e2295ccdc2373efd9c386"),
            Map.entry("inception_resnet_v2 fp32", "432e84145b51b7818b6c9e68505c8ae23d28ebc8383e780c72fe4422cd7e0422"),
            Map.entry("inception_resnet_v2 fp16", "b029da39b4c2938286461d2641242f4a86129eea51b08aad97b6cc561cbfb2dc"));

    @TempDir
    Path dir;

    @Test
    void theDefaultExportIsByteIdenticalToBefore() throws Exception {
        for (Model m : Model.values()) {
            for (Precision p : new Precision[] {Precision.FP32, Precision.FP16}) {
                String key = m.label() + " " + p.label();
                assertEquals(BEFORE.get(key), Generator.ensureOnnx(dir, m, p, Scale.TINY, 1).sha256(), key);
            }
        }
    }

    @Test
    void theFloatFormIsAFileOfItsOwnBesideTheDefault() throws Exception {
        ModelFiles.Written uint8 = Generator.ensureOnnx(dir, Model.MOBILENET_V1, Precision.FP32, Scale.TINY, 1);
        ModelFiles.Written floats = Generator.ensureOnnx(dir, Model.MOBILENET_V1, Precision.FP32, Scale.TINY, 1,
                OnnxForm.FLOAT_IMAGE);

        assertEquals(uint8.path().resolveSibling("fp32-float-input.onnx"), floats.path());
        assertNotEquals(uint8.sha256(), floats.sha256());
        assertEquals(floats.sha256(), Generator.ensureOnnx(dir, Model.MOBILENET_V1, Precision.FP32, Scale.TINY, 1,
                OnnxForm.FLOAT_IMAGE).sha256(), "cached and verified like the default file");
        assertEquals(BEFORE.get("mobilenet_v1 fp32"), uint8.sha256());
        assertEquals(13, OnnxForm.FLOAT_IMAGE.opset());
        assertEquals(17, OnnxForm.UINT8_IMAGE.opset());
    }
}
