"""The method as data: the seed catalogue (strict YAML, validated by pydantic), its vocabularies
and the rules that classify industries and map them to measures."""
