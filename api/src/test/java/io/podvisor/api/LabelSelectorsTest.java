package io.podvisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

    @Test
    void formatsSortedByKeyWithSortedValues() {
        LabelSelector s = Yaml.read("""
                matchLabels: {tier: web, app: shop}
                matchExpressions:
                - {key: env, operator: In, values: [qa, dev]}
                - {key: zone, operator: DoesNotExist}
                - {key: canary, operator: Exists}
                """, LabelSelector.class);
        assertThat(LabelSelectors.format(s)).isEqualTo("app=shop,canary,env in (dev,qa),tier=web,!zone");
    }

    @Test
    void emptyNullAndUnknownOperator() {
        assertThat(LabelSelectors.format(null)).isEmpty();
        assertThat(LabelSelectors.of(Map.of())).isEmpty();
        assertThat(LabelSelectors.of(Map.of("b", "2", "a", "1"))).isEqualTo("a=1,b=2");
        LabelSelector bad = Yaml.read("matchExpressions: [{key: k, operator: Gt, values: ['1']}]", LabelSelector.class);
        assertThat(LabelSelectors.format(bad)).isNull();
    }

    @Test
    void matchesLabelsAndEveryExpression() {
        LabelSelector s = Yaml.read("""
                matchLabels: {app: shop}
                matchExpressions:
                - {key: env, operator: In, values: [qa, dev]}
                - {key: zone, operator: DoesNotExist}
                - {key: canary, operator: Exists}
                - {key: tier, operator: NotIn, values: [db]}
                """, LabelSelector.class);
        assertThat(LabelSelectors.matches(s, Map.of("app", "shop", "env", "qa", "canary", ""))).isTrue();
        assertThat(LabelSelectors.matches(s, Map.of("app", "shop", "env", "qa", "canary", "", "tier", "web"))).isTrue();
        assertThat(LabelSelectors.matches(s, Map.of("app", "shop", "env", "qa", "canary", "", "tier", "db"))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "shop", "env", "prod", "canary", ""))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "shop", "env", "qa"))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "shop", "env", "qa", "canary", "", "zone", "a"))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "cart", "env", "qa", "canary", ""))).isFalse();
        assertThat(LabelSelectors.matches(s, null)).isFalse();
        assertThat(LabelSelectors.matches((LabelSelector) null, null)).isTrue();
        assertThat(LabelSelectors.matches(Map.of("app", "shop"), Map.of("app", "shop", "x", "y"))).isTrue();
        assertThat(LabelSelectors.matches(Map.of("app", "shop"), Map.of("x", "y"))).isFalse();
        LabelSelector bad = Yaml.read("matchExpressions: [{key: k, operator: Gt, values: ['1']}]", LabelSelector.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabelSelectors.matches(bad, Map.of()))
                .hasMessage("\"Gt\" is not a valid label selector operator");
    }
}
