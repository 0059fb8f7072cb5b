// Licensed to the Apache Software Foundation (ASF) under one
// or more contributor license agreements.  See the NOTICE file
// distributed with this work for additional information
// regarding copyright ownership.  The ASF licenses this file
// to you under the Apache License, Version 2.0 (the
// "License"); you may not use this file except in compliance
// with the License.  You may obtain a copy of the License at
//
//   http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing,
// software distributed under the License is distributed on an
// "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
// KIND, either express or implied.  See the License for the
// specific language governing permissions and limitations
// under the License.

use crate::dialect::Dialect;

/// A [`Dialect`] for [DuckDB](https://duckdb.org/)
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DuckDbDialect;

// In most cases the redshift dialect is identical to [`PostgresSqlDialect`].
impl Dialect for DuckDbDialect {
    fn supports_cte_materialization(&self) -> bool {
        true
    }

    fn supports_string_literal_column_alias(&self, explicit: bool) -> bool {
        explicit
    }

    fn supports_string_literal_table_alias(&self, explicit: bool) -> bool {
        explicit
    }

    fn supports_trailing_commas(&self) -> bool {
        true
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_alphabetic() || ch == '_'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_alphabetic() || ch.is_ascii_digit() || ch == '$' || ch == '_'
    }

    /// See <https://duckdb.org/docs/stable/sql/dialect/keywords_and_identifiers>
    fn identifier_quote_style(&self, _identifier: &str) -> Option<char> {
        Some('"')
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        true
    }

    fn supports_group_by_expr(&self) -> bool {
        true
    }

    fn supports_bitwise_shift_operators(&self) -> bool {
        true
    }

    fn supports_tilde_like_match_operator(&self) -> bool {
        true
    }

    fn supports_aggregate_order_by_with_empty_args(&self) -> bool {
        true
    }

    fn supports_comparison_in_between_low_bound(&self) -> bool {
        true
    }

    fn supports_named_fn_args_with_eq_operator(&self) -> bool {
        true
    }

    fn supports_named_fn_args_with_assignment_operator(&self) -> bool {
        true
    }

    // DuckDB uses this syntax for `STRUCT`s.
    //
    // https://duckdb.org/docs/sql/data_types/struct.html#creating-structs
    fn supports_dictionary_syntax(&self) -> bool {
        true
    }

    // DuckDB uses this syntax for `MAP`s.
    //
    // https://duckdb.org/docs/sql/data_types/map.html#creating-maps
    fn support_map_literal_syntax(&self) -> bool {
        true
    }

    /// See <https://duckdb.org/docs/stable/sql/functions/lambda>
    fn supports_lambda_functions(&self) -> bool {
        true
    }

    /// Returns true if this dialect allows the `EXTRACT` function to use single quotes in the part being extracted.
    fn allow_extract_single_quotes(&self) -> bool {
        true
    }

    // DuckDB is compatible with PostgreSQL syntax for this statement,
    // although not all features may be implemented.
    fn supports_explain_with_utility_options(&self) -> bool {
        true
    }

    /// See DuckDB <https://duckdb.org/docs/sql/statements/load_and_install.html#load>
    fn supports_load_extension(&self) -> bool {
        true
    }

    // See DuckDB <https://duckdb.org/docs/sql/data_types/array.html#defining-an-array-field>
    fn supports_array_typedef_with_brackets(&self) -> bool {
        true
    }

    fn supports_from_first_select(&self) -> bool {
        true
    }

    /// See DuckDB <https://duckdb.org/docs/sql/query_syntax/orderby.html#order-by-all-examples>
    fn supports_order_by_all(&self) -> bool {
        true
    }

    fn supports_select_wildcard_exclude(&self) -> bool {
        true
    }

    fn supports_window_frame_exclusion(&self) -> bool {
        true
    }

    fn supports_prefix_alias(&self) -> bool {
        true
    }

    fn supports_limit_percent(&self) -> bool {
        true
    }

    fn supports_in_list_value(&self) -> bool {
        true
    }

    /// `SELECT * RENAME (a AS b)`, see
    /// <https://duckdb.org/docs/stable/sql/expressions/star#rename-clause>
    fn supports_select_wildcard_rename(&self) -> bool {
        true
    }

    fn supports_select_wildcard_like(&self) -> bool {
        true
    }

    fn supports_filter_during_aggregation_without_where(&self) -> bool {
        true
    }

    fn supports_from_first_select_clauses(&self) -> bool {
        true
    }

    fn supports_nested_grouping_sets(&self) -> bool {
        true
    }

    fn supports_row_struct_type(&self) -> bool {
        true
    }

    fn supports_select_wildcard_rename_qualified(&self) -> bool {
        true
    }

    fn supports_star_as_all_in_group_and_order_by(&self) -> bool {
        true
    }

    fn supports_select_wildcard_replace_without_parens(&self) -> bool {
        true
    }

    fn supports_empty_numeric_precision(&self) -> bool {
        true
    }

    fn supports_unpacked_columns_expression(&self) -> bool {
        true
    }

    fn supports_cte_using_key(&self) -> bool {
        true
    }

    fn supports_pivot_multiple_columns_and_group_by(&self) -> bool {
        true
    }

    fn supports_dash_as_omitted_slice_bound(&self) -> bool {
        true
    }

    /// DuckDB's plural interval units that are no keyword: `INTERVAL 2 centuries`.
    fn extract_field_keeps_spelling(&self, word: &str) -> bool {
        let grammar = [
            "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute",
            "minutes", "second", "seconds", "millisecond", "milliseconds", "microsecond", "microseconds",
            "century", "decade", "millennium", "quarter",
        ];
        !grammar.iter().any(|k| word.eq_ignore_ascii_case(k))
    }

    fn is_interval_qualifier_word(&self, word: &str) -> bool {
        ["millennia", "centuries", "decades", "quarters"]
            .iter()
            .any(|unit| word.eq_ignore_ascii_case(unit))
    }

    fn supports_select_using_sample(&self) -> bool {
        true
    }

    /// `MAP(VARCHAR, STRUCT(a INT))`, see <https://duckdb.org/docs/stable/sql/data_types/map>
    fn supports_map_typedef_with_parentheses(&self) -> bool {
        true
    }

    /// `FROM VALUES (1, 'a'), (2, 'b') AS t(x, y)`, see
    /// <https://duckdb.org/docs/stable/sql/query_syntax/values>
    fn supports_values_as_table_factor(&self) -> bool {
        true
    }

    /// `first_value(x IGNORE NULLS)`, also after an ordering: `first_value(x ORDER BY y IGNORE NULLS)`.
    ///
    /// See <https://duckdb.org/docs/stable/sql/functions/window_functions#ignore-nulls>
    fn supports_window_function_null_treatment_arg(&self) -> bool {
        true
    }

    /// DuckDB supports `NOTNULL` as an alias for `IS NOT NULL`,
    /// see DuckDB Comparisons <https://duckdb.org/docs/stable/sql/expressions/comparison_operators#between-and-is-not-null>
    fn supports_notnull_operator(&self) -> bool {
        true
    }

    /// See <https://duckdb.org/docs/extensions/overview>
    fn supports_install(&self) -> bool {
        true
    }

    /// See <https://duckdb.org/docs/sql/statements/attach#detach-syntax>
    fn supports_detach(&self) -> bool {
        true
    }

    /// See <https://duckdb.org/docs/sql/query_syntax/select#replace-clause>
    fn supports_select_wildcard_replace(&self) -> bool {
        true
    }

    fn supports_comma_separated_trim(&self) -> bool {
        true
    }

    fn supports_numeric_literal_underscores(&self) -> bool {
        true
    }

    fn supports_nested_comments(&self) -> bool {
        true
    }

    /// See <https://duckdb.org/docs/stable/sql/statements/alter_table>
    fn supports_add_column_if_not_exists(&self) -> bool {
        true
    }
}
